package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.proto.v1.CertKey;
import io.netty.util.ReferenceCounted;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Contexts are shared while the material is the same and released once no applied config uses them. */
@Timeout(60)
class ServerContextsTest {
    @TempDir
    Path dir;

    private static CertKey certKey(String name, Issued issued) {
        return CertKey.newBuilder().setName(name).setCert(issued.certPem()).setKey(issued.keyPem()).build();
    }

    @Test
    void replacedMaterialIsReleasedAndUnchangedMaterialReused() {
        TestPki pki = TestPki.create(dir, "Contexts CA");
        Issued one = pki.issue("one", 30, "one.test");
        Issued two = pki.issue("two", 30, "one.test");
        ServerContexts contexts = new ServerContexts(java.time.Clock.systemUTC());

        SniTermination first = contexts.termination(List.of(certKey("ck0", one)), false);
        SniTermination same = contexts.termination(List.of(certKey("ck0", one)), false);
        assertSame(first.contextFor("one.test"), same.contextFor("one.test"), "same material, same context");
        SniTermination rotated = contexts.termination(List.of(certKey("ck0", two)), false);
        assertEquals(2, contexts.size());

        contexts.retain(rotated.contextKeys());
        assertEquals(1, contexts.size());
        if (first.contextFor("one.test") instanceof ReferenceCounted native1) {
            assertEquals(0, native1.refCnt(), "the replaced native context is released");
        }
        contexts.retain(Set.of());
        assertEquals(0, contexts.size());
    }

    @Test
    void exactNameBeatsWildcardAndTheFirstCertKeyIsTheFallback() {
        TestPki pki = TestPki.create(dir, "Mapping CA");
        Issued a = pki.issue("a", 30, "a.test");
        Issued wild = pki.issue("wild", 30, "*.w.test");
        Issued exact = pki.issue("exact", 30, "x.w.test");
        ServerContexts contexts = new ServerContexts(java.time.Clock.systemUTC());
        SniTermination tls = contexts.termination(List.of(certKey("a", a), certKey("wild", wild), certKey("exact", exact)), true);
        assertSame(tls.contextFor("unknown.test"), tls.contextFor("a.test"));
        assertSame(tls.contextFor("y.w.test"), contexts.termination(List.of(certKey("wild", wild)), true).contextFor("y.w.test"));
        assertSame(tls.contextFor("x.w.test"), contexts.termination(List.of(certKey("exact", exact)), true).contextFor("x.w.test"));
        contexts.retain(Set.of());
    }
}
