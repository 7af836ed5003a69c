package io.fulcrum.controlplane.api;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Completes a unary gRPC call from a future, mapping failures through {@link Errors}. */
final class Responder {
    private final Errors errors;

    Responder(Errors errors) {
        this.errors = errors;
    }

    <T> void respond(Supplier<CompletableFuture<T>> call, StreamObserver<T> observer) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            observer.onError(errors.toStatus(e));
            return;
        }
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                observer.onError(errors.toStatus(failure));
            } else {
                observer.onNext(value);
                observer.onCompleted();
            }
        });
    }
}
