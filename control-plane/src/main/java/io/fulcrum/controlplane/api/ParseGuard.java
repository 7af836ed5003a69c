package io.fulcrum.controlplane.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Answers a request message that does not parse with INVALID_ARGUMENT naming the message type.
 * grpc-java itself parses before any handler runs and answers such bytes with UNKNOWN ("Application
 * error processing RPC") after logging a SEVERE stack trace per message: anyone who can reach the
 * port could flood the log. Here each message is checked as bytes first; what passes is handed on
 * unchanged (and parsed once more by the service's own marshaller).
 */
final class ParseGuard implements ServerInterceptor {
    private final Map<String, MethodDescriptor<?, ?>> methods = new HashMap<>();

    private ParseGuard(ServerServiceDefinition service) {
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            methods.put(method.getMethodDescriptor().getFullMethodName(), method.getMethodDescriptor());
        }
    }

    /** {@code service} with every request message checked before it reaches the service. */
    static ServerServiceDefinition guard(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), new ParseGuard(service));
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        MethodDescriptor<?, ?> method = methods.get(call.getMethodDescriptor().getFullMethodName());
        ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(ReqT message) {
                if (refused) {
                    return;
                }
                byte[] bytes;
                try {
                    bytes = ((InputStream) message).readAllBytes();
                    method.parseRequest(new ByteArrayInputStream(bytes));
                } catch (IOException | RuntimeException e) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + messageName(method) + " message: " + e.getMessage()), new Metadata());
                    return;
                }
                super.onMessage((ReqT) new ByteArrayInputStream(bytes));
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    private static String messageName(MethodDescriptor<?, ?> method) {
        if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> prototype
                && prototype.getMessagePrototype() instanceof com.google.protobuf.MessageLite lite) {
            return lite.getClass().getSimpleName();
        }
        return method.getFullMethodName() + " request";
    }
}
