package io.fulcrum.controlplane;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of a control-plane node, with its default, in one place.
 *
 * @param peers   member id → Raft address of a new cluster's members (including this one); empty
 *                means a single-member cluster of this node, unless {@code join} is set
 * @param join    start with an empty Raft configuration and wait to be added (AddMember)
 * @param authFile null: generate tokens into the data dir (unless {@code insecureNoAuth})
 * @param respAddress null: no RESP endpoint
 * @param respPassword what redis-cli must AUTH with (visible in ps when given on the command line);
 *                    null: read it from {@code respPasswordFile}, or no AUTH with {@code insecureNoAuth}
 * @param respPasswordFile null, or a file holding the RESP password as its only token (AuthFile's rules)
 * @param tlsCert null: plain-text API
 * @param tlsCa   CA that member-to-member calls trust; defaults to tlsCert
 * @param metricsAddress null: no Prometheus endpoint
 * @param restAddress null: no REST API and status page (docs/api.md); TLS as the gRPC API
 * @param forgetDisconnectedAfter how long a data plane may stay DISCONNECTED before the leader
 *                forgets it (removes it from {@code fctl nodes}); zero: never on its own
 * @param clock   wall clock for timestamps and liveness (Raft keeps its own timers)
 */
public record ControlPlaneSettings(String id, Path dataDir, String raftAddress, String apiAddress,
        Map<String, String> peers, boolean join, Path authFile, boolean insecureNoAuth, String respAddress,
        String respPassword, Path respPasswordFile, String tlsCert, String tlsKey, String tlsCa, int electionTimeoutMs,
        int maxElectionDelayMs, int snapshotIntervalSecs, boolean fsync, String metricsAddress, String restAddress, Duration forgetDisconnectedAfter, Clock clock) {

    public static final int DEFAULT_ELECTION_TIMEOUT_MS = 500;
    public static final int DEFAULT_MAX_ELECTION_DELAY_MS = 250;
    public static final int DEFAULT_SNAPSHOT_INTERVAL_SECS = 600;
    public static final Duration DEFAULT_FORGET_DISCONNECTED_AFTER = Duration.ofHours(24);

    public ControlPlaneSettings {
        peers = Map.copyOf(new LinkedHashMap<>(peers));
    }

    public static Builder builder(String id, Path dataDir) {
        return new Builder(id, dataDir);
    }

    /** Builder with the defaults of a single loopback node. */
    public static final class Builder {
        private final String id;
        private final Path dataDir;
        private String raftAddress = "127.0.0.1:7001";
        private String apiAddress = "127.0.0.1:9001";
        private Map<String, String> peers = Map.of();
        private boolean join;
        private Path authFile;
        private boolean insecureNoAuth;
        private String respAddress;
        private String respPassword;
        private Path respPasswordFile;
        private String tlsCert;
        private String tlsKey;
        private String tlsCa;
        private int electionTimeoutMs = DEFAULT_ELECTION_TIMEOUT_MS;
        private int maxElectionDelayMs = DEFAULT_MAX_ELECTION_DELAY_MS;
        private int snapshotIntervalSecs = DEFAULT_SNAPSHOT_INTERVAL_SECS;
        private boolean fsync = true;
        private String metricsAddress;
        private String restAddress;
        private Duration forgetDisconnectedAfter = DEFAULT_FORGET_DISCONNECTED_AFTER;
        private Clock clock = Clock.systemUTC();

        private Builder(String id, Path dataDir) {
            this.id = id;
            this.dataDir = dataDir;
        }

        public Builder raft(String address) {
            this.raftAddress = address;
            return this;
        }

        public Builder api(String address) {
            this.apiAddress = address;
            return this;
        }

        public Builder peers(Map<String, String> peers) {
            this.peers = peers;
            return this;
        }

        public Builder join(boolean join) {
            this.join = join;
            return this;
        }

        public Builder authFile(Path file) {
            this.authFile = file;
            return this;
        }

        public Builder insecureNoAuth(boolean insecure) {
            this.insecureNoAuth = insecure;
            return this;
        }

        public Builder resp(String address, String password) {
            this.respAddress = address;
            this.respPassword = password;
            return this;
        }

        /** The RESP password as the only token of {@code file}, read at start (keeps it out of ps). */
        public Builder respPasswordFile(Path file) {
            this.respPasswordFile = file;
            return this;
        }

        public Builder tls(String cert, String key, String ca) {
            this.tlsCert = cert;
            this.tlsKey = key;
            this.tlsCa = ca;
            return this;
        }

        public Builder election(int timeoutMs, int maxDelayMs) {
            this.electionTimeoutMs = timeoutMs;
            this.maxElectionDelayMs = maxDelayMs;
            return this;
        }

        public Builder snapshotIntervalSecs(int seconds) {
            this.snapshotIntervalSecs = seconds;
            return this;
        }

        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        public Builder metrics(String address) {
            this.metricsAddress = address;
            return this;
        }

        /** Also serve the REST API and the status page here (null: not at all). */
        public Builder rest(String address) {
            this.restAddress = address;
            return this;
        }

        /** Zero disables forgetting on its own; ForgetNode works either way. */
        public Builder forgetDisconnectedAfter(Duration after) {
            if (after.isNegative()) {
                throw new IllegalArgumentException("--forget-disconnected-after: " + after + " (expected: >= 0, 0 disables)");
            }
            this.forgetDisconnectedAfter = after;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public ControlPlaneSettings build() {
            return new ControlPlaneSettings(id, dataDir, raftAddress, apiAddress, peers, join, authFile, insecureNoAuth,
                    respAddress, respPassword, respPasswordFile, tlsCert, tlsKey, tlsCa, electionTimeoutMs, maxElectionDelayMs,
                    snapshotIntervalSecs, fsync, metricsAddress, restAddress, forgetDisconnectedAfter, clock);
        }
    }
}
