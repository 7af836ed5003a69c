package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fulcrum.config.testing.TestPki;
import io.fulcrum.proto.v1.CertKey;
import io.netty.util.ReferenceCounted;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One origination context per trust setting, shared by groups, released when no config uses it. */
@Timeout(60)
class ClientContextsTest {
    @TempDir
    Path dir;

    @Test
    void groupsWithTheSameTrustShareOneContextWhichIsReleasedWhenUnused() {
        TestPki pki = TestPki.create(dir, "Client CA");
        CertKey ca = CertKey.newBuilder().setName("ca").setCert(pki.ca().certPem()).setKey(pki.ca().keyPem()).build();
        ClientContexts contexts = new ClientContexts();
        Origination g1 = contexts.origination("g1", List.of(ca), null, true);
        Origination g2 = contexts.origination("g2", List.of(ca), "x.test", true);
        Origination insecure = contexts.origination("g3", List.of(), null, false);
        assertSame(g1.context(), g2.context());
        assertEquals(2, contexts.size());

        contexts.retain(Set.of(g1.contextKey()));
        assertEquals(1, contexts.size());
        if (insecure.context() instanceof ReferenceCounted released) {
            assertEquals(0, released.refCnt(), "the unused native context is released");
        }
        contexts.retain(Set.of());
        assertEquals(0, contexts.size());
    }
}
