package io.fulcrum.ctl.connect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How fctl reaches the cluster; shared by every command as a mixin. */
public final class ConnectionOptions {
    @Option(names = "--server", split = ",", paramLabel = "HOST:PORT",
            description = "control-plane API address(es), tried in order (env FULCRUM_SERVER; default: the local cluster, "
                    + "else 127.0.0.1:9001)")
    List<String> servers = new ArrayList<>();

    @Option(names = "--token", description = "bearer token (env FULCRUM_TOKEN; default: the local cluster's)")
    String token;

    @Option(names = "--token-file", description = "file holding the token (or an auth file: its operator token is used)")
    Path tokenFile;

    @Option(names = "--tls", description = "connect with TLS")
    boolean tls;

    @Option(names = "--tls-ca", description = "PEM CA certificate to trust (implies --tls)")
    Path tlsCa;

    @Option(names = "--timeout", defaultValue = "15", description = "seconds to wait for an answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
}
