package io.fulcrum.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.AddMemberRequest;
import io.fulcrum.proto.v1.ListRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A malformed request reaches the client as INVALID_ARGUMENT with a message a person can act on. */
@Timeout(60)
class RequestErrorsTest {
    @Test
    void malformedRequestsAreInvalidArgumentWithTheirMessage(@TempDir Path dir) {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            String api = cluster.api("cp1");
            String token = cluster.tokens().operator();
            StatusRuntimeException noKind = assertThrows(StatusRuntimeException.class,
                    () -> cluster.clients().config(api, token).list(ListRequest.getDefaultInstance()));
            assertEquals(Status.Code.INVALID_ARGUMENT, noKind.getStatus().getCode());
            assertEquals("a resource kind is required, e.g. RESOURCE_KIND_SERVER_GROUP", noKind.getStatus().getDescription());
            StatusRuntimeException badId = assertThrows(StatusRuntimeException.class, () -> cluster.clients().cluster(api, token)
                    .addMember(AddMemberRequest.newBuilder().setId("bad id").setRaftAddress("127.0.0.1:1").build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, badId.getStatus().getCode());
            assertEquals(true, badId.getStatus().getDescription().startsWith("invalid member id \"bad id\": must be "),
                    badId.getStatus().getDescription());
        }
    }
}
