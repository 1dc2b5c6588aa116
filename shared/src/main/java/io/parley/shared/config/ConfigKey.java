package io.parley.shared.config;

/**
 * Every setting Parley reads, with its environment variable, default and meaning. The README's
 * configuration table and the k8s ConfigMap use exactly these names (a test keeps the README honest).
 * An empty default means "not set".
 */
public enum ConfigKey {
  NODE_ID("PARLEY_NODE_ID", "", "Name of this process on the bus; gateways use it to route deliveries. Empty: a random id per start."),
  CLUSTER("PARLEY_CLUSTER", "false", "true: join a Vert.x cluster (Hazelcast) so services in separate processes share one event bus. Standalone ignores it."),
  CLUSTER_HOST("PARLEY_CLUSTER_HOST", "", "Address this process advertises to cluster members (event bus and Hazelcast). Empty: the first non-loopback address; set 127.0.0.1 for local multi-process runs."),
  CLUSTER_PORT("PARLEY_CLUSTER_PORT", "5701", "Hazelcast member port."),
  CLUSTER_MEMBERS("PARLEY_CLUSTER_MEMBERS", "", "Comma-separated host:port of Hazelcast members to join over TCP/IP (local runs, VMs)."),
  CLUSTER_KUBERNETES_SERVICE("PARLEY_CLUSTER_KUBERNETES_SERVICE", "", "Headless Service whose DNS names the cluster members (Kubernetes discovery). Wins over PARLEY_CLUSTER_MEMBERS."),
  CLUSTER_HEARTBEAT_TIMEOUT_SECONDS("PARLEY_CLUSTER_HEARTBEAT_TIMEOUT_SECONDS", "6", "Seconds without a heartbeat before the cluster drops a member (a killed one is usually noticed sooner, by its closed connections). A dropped member that comes back exits for its supervisor to restart it, so raise this where processes can be starved of CPU that long (throttling, an overloaded host)."),
  EVENTBUS_PORT("PARLEY_EVENTBUS_PORT", "7510", "TCP port of this process's clustered event bus."),
  LOG_LEVEL("PARLEY_LOG_LEVEL", "info", "Log level: one for everything (error, warn, info, debug, trace, off) or a comma-separated list adding package=level entries, e.g. info,io.parley.gateway=debug. Libraries (Netty, Hazelcast, the PostgreSQL driver) stay at WARN unless named."),
  LOG_FORMAT("PARLEY_LOG_FORMAT", "text", "text: one readable line per event; json: one JSON object per line (timestamp, level, threadName, loggerName, formattedMessage, mdc, throwable) for log collectors."),
  HTTP_PORT("PARLEY_HTTP_PORT", "7480", "Port of /health/live, /health/ready and /metrics (Prometheus). 0 picks a free port; -1 disables."),
  ADMIN_KEY_FILE("PARLEY_ADMIN_KEY_FILE", "", "File holding the admin secret (at least 32 characters, e.g. from openssl rand -base64 48) that signs parley-admin requests to /admin/* on PARLEY_HTTP_PORT. Empty: the admin endpoint is off (404). Every process of a cluster is given the same file (docs/security.md, Administration)."),
  BIND_HOST("PARLEY_BIND_HOST", "0.0.0.0", "Address the gateway's TCP and WebSocket servers listen on."),
  TCP_PORT("PARLEY_TCP_PORT", "7400", "Gateway TCP port (4-byte length-prefixed frames). 0 picks a free port."),
  WS_PORT("PARLEY_WS_PORT", "7401", "Gateway WebSocket port; the endpoint is ws://host:port/ws. 0 picks a free port."),
  MAX_FRAME_BYTES("PARLEY_MAX_FRAME_BYTES", "1048576", "Largest frame a client may send; a longer length closes the connection before reading it."),
  MAX_JSON_DEPTH("PARLEY_MAX_JSON_DEPTH", "16", "Deepest JSON nesting accepted in a packet."),
  HANDSHAKE_TIMEOUT_MS("PARLEY_HANDSHAKE_TIMEOUT_MS", "10000", "A connection that has not reached CONN_OK in this time is closed."),
  IDLE_TIMEOUT_MS("PARLEY_IDLE_TIMEOUT_MS", "300000", "A connection that sends nothing for this long is closed."),
  WRITE_QUEUE_MAX_BYTES("PARLEY_WRITE_QUEUE_MAX_BYTES", "1048576", "Bytes queued for one slow reader before it is disconnected (it can sync later)."),
  MAX_RECORDS_PER_DIRECTION("PARLEY_MAX_RECORDS_PER_DIRECTION", "16777216", "Records per direction before the channel asks the client to reconnect (AES-GCM usage limit, 2^24)."),
  PACKET_RATE_PER_SECOND("PARLEY_PACKET_RATE_PER_SECOND", "50", "Sustained packets per second one connection may send; more get RATE_LIMITED."),
  PACKET_BURST("PARLEY_PACKET_BURST", "200", "Packets one connection may send in a burst above the sustained rate."),
  ACCOUNT_PACKET_RATE_PER_SECOND("PARLEY_ACCOUNT_PACKET_RATE_PER_SECOND", "100", "Sustained packets per second one account may send over all its connections and gateways."),
  ACCOUNT_PACKET_BURST("PARLEY_ACCOUNT_PACKET_BURST", "400", "Packets one account may send in a burst above its sustained rate."),
  ADDRESS_PACKET_RATE_PER_SECOND("PARLEY_ADDRESS_PACKET_RATE_PER_SECOND", "500", "Sustained packets per second one client address may send over all its connections and gateways."),
  ADDRESS_PACKET_BURST("PARLEY_ADDRESS_PACKET_BURST", "2000", "Packets one client address may send in a burst above its sustained rate."),
  FRAME_READ_TIMEOUT_MS("PARLEY_FRAME_READ_TIMEOUT_MS", "15000", "A frame whose first byte has arrived must be complete within this time, before and after the handshake."),
  PARTIAL_FRAME_BUDGET_BYTES("PARLEY_PARTIAL_FRAME_BUDGET_BYTES", "", "Bytes all connections of one gateway may hold in unfinished frames; over it the oldest are closed (SERVER_BUSY). Empty: an eighth of the maximum heap."),
  MAX_CONNECTIONS("PARLEY_MAX_CONNECTIONS", "", "Connections one gateway process keeps open; more are refused right after accept. Empty: the open-file limit less 1,024 for everything else."),
  MAX_HANDSHAKES("PARLEY_MAX_HANDSHAKES", "1024", "Connections one gateway process holds before CONN_OK; a new one closes the oldest (SERVER_BUSY)."),
  MAX_CONNECTIONS_PER_ADDRESS("PARLEY_MAX_CONNECTIONS_PER_ADDRESS", "1000", "Open connections from one client address per gateway (NAT gateways carry many people)."),
  MAX_HANDSHAKES_PER_ADDRESS("PARLEY_MAX_HANDSHAKES_PER_ADDRESS", "32", "Connections from one client address per gateway that have not reached CONN_OK."),
  MAX_CONNECTIONS_PER_ACCOUNT("PARLEY_MAX_CONNECTIONS_PER_ACCOUNT", "32", "Authenticated connections one account may hold on one gateway process; one more is refused TOO_MANY_CONNECTIONS at LOGIN/AUTH_TOKEN (the connection stays, unauthenticated)."),
  MAX_CONNECTIONS_PER_DEVICE("PARLEY_MAX_CONNECTIONS_PER_DEVICE", "4", "Authenticated connections one device may hold on one gateway process; one more closes the device's oldest (TOO_MANY_CONNECTIONS)."),
  PROXY_PROTOCOL("PARLEY_PROXY_PROTOCOL", "false", "true: every TCP and WebSocket connection starts with a PROXY protocol header (v1 or v2) from a load balancer, and limits and logs use the client address it names. Only behind a proxy that always sends it."),
  BUS_TIMEOUT_MS("PARLEY_BUS_TIMEOUT_MS", "10000", "How long the gateway waits for a service reply before answering UNAVAILABLE. A request one service makes of another while serving a client gets a share of it (a quarter; a third for DELETE_ACCOUNT's two), from one table in shared/bus BusTimeouts."),
  SERVICE_MAX_IN_FLIGHT("PARLEY_SERVICE_MAX_IN_FLIGHT", "4096", "Client requests one service process works on at once (waiting for PostgreSQL included); more are answered UNAVAILABLE at once, so an overload costs retries, not memory."),
  IDENTITY_KEY_FILE("PARLEY_IDENTITY_KEY_FILE", "~/.parley/identity-ed25519.pem", "Server Ed25519 identity key (PKCS#8 PEM). Created with mode 600 on first start when absent. All gateways share one."),
  DATA_DIR("PARLEY_DATA_DIR", "~/.parley/data", "Where standalone mode keeps its embedded PostgreSQL and Redis data."),
  TOKEN_KEY_FILE("PARLEY_TOKEN_KEY_FILE", "~/.parley/token-signing-key.pem", "Private key (PKCS#8 PEM) that signs session tokens. Standalone creates it when absent; the auth service of a clustered deployment must be given it."),
  TOKEN_PUBLIC_KEY_FILE("PARLEY_TOKEN_PUBLIC_KEY_FILE", "", "Public key (PEM) gateways verify session tokens with. Empty: derived from PARLEY_TOKEN_KEY_FILE."),
  CAPTCHA_KIND("PARLEY_CAPTCHA_KIND", "pow", "Captcha for SIGNUP: 'pow' (a hash puzzle the client solves) or 'image' (distorted characters a person reads)."),
  POW_DIFFICULTY_BITS("PARLEY_POW_DIFFICULTY_BITS", "18", "Leading zero bits a pow captcha answer needs; each bit doubles the client's work (18: about 260,000 hashes)."),
  CAPTCHA_MAX_WRONG("PARLEY_CAPTCHA_MAX_WRONG", "5", "Wrong captcha answers before the signup attempt ends (RATE_LIMITED; send SIGNUP again)."),
  SIGNUPS_PER_ADDRESS("PARLEY_SIGNUPS_PER_ADDRESS", "20", "SIGNUP requests one client address may make per 10 minutes (each costs a password hash)."),
  LOGIN_FAILURES_PER_ACCOUNT("PARLEY_LOGIN_FAILURES_PER_ACCOUNT", "10", "Failed logins for one account within the failure window before a LOGIN from an address that never logged into it needs a captcha."),
  LOGIN_FAILURES_PER_ADDRESS("PARLEY_LOGIN_FAILURES_PER_ADDRESS", "100", "Failed logins from one client address within the failure window before it is locked for the rest of the window."),
  LOGIN_FAILURE_WINDOW_S("PARLEY_LOGIN_FAILURE_WINDOW_S", "900", "Length of the failed-login window in seconds; counters start with the first attempt."),
  PASSWORD_THREADS("PARLEY_PASSWORD_THREADS", "2", "Worker threads hashing passwords (Argon2id), never the event loop."),
  PASSWORD_QUEUE_MAX("PARLEY_PASSWORD_QUEUE_MAX", "64", "Password hashes waiting or running at once; more get RATE_LIMITED instead of starving the server."),
  PG_URL("PARLEY_PG_URL", "", "PostgreSQL URL, e.g. postgresql://parley:secret@db:5432/parley. Empty: standalone starts an embedded server."),
  PG_POOL_SIZE("PARLEY_PG_POOL_SIZE", "8", "PostgreSQL connections per service process; the room service opens half as many again for its outbox relay."),
  REDIS_URL("PARLEY_REDIS_URL", "", "Redis URL, e.g. redis://redis:6379/0. Empty: standalone starts an embedded server."),
  CLUSTER_TLS_CA_FILE("PARLEY_CLUSTER_TLS_CA_FILE", "", "Clustered: the deployment's CA certificate (PEM). The event bus accepts only peers whose certificate it signed, in both directions. Required with PARLEY_CLUSTER=true unless PARLEY_CLUSTER_INSECURE_BUS=true."),
  CLUSTER_TLS_CERT_FILE("PARLEY_CLUSTER_TLS_CERT_FILE", "", "Clustered: this process's event-bus certificate (PEM, signed by the CA), presented as server and as client."),
  CLUSTER_TLS_KEY_FILE("PARLEY_CLUSTER_TLS_KEY_FILE", "", "Clustered: the private key (PKCS#8 PEM) of PARLEY_CLUSTER_TLS_CERT_FILE."),
  CLUSTER_INSECURE_BUS("PARLEY_CLUSTER_INSECURE_BUS", "false", "true: a clustered process without the PARLEY_CLUSTER_TLS_* files starts anyway, with a plaintext, unauthenticated event bus (logged as an error). Only for throwaway local runs.");

  private final String env;
  private final String defaultValue;
  private final String description;

  ConfigKey(String env, String defaultValue, String description) {
    this.env = env;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String env() {
    return env;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
