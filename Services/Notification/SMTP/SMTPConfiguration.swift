/// Where and how ``SMTPClient`` connects. Read from the `smtp.*` settings by the service.
public struct SMTPConfiguration: Sendable, CustomStringConvertible {
    /// Whether the connection is upgraded with STARTTLS (RFC 3207).
    public enum STARTTLSMode: String, Sendable, CaseIterable {
        /// Upgrade, and send nothing if the server does not offer STARTTLS.
        case required
        /// Upgrade when the server offers STARTTLS, else continue in plain text. A failed
        /// handshake is still an error: the connection is not reopened without TLS.
        case opportunistic
        /// Never upgrade.
        case off
    }

    /// Which server certificates are trusted after STARTTLS.
    public enum CertificateTrust: Sendable, Equatable {
        /// The system's CAs, with host name verification.
        case systemDefault
        /// Only the CAs in this PEM file (a self-signed test server's certificate), with host
        /// name (or IP address) verification.
        case certificates(pemFile: String)
        /// No verification at all. For tests against a throwaway server only.
        case insecureNoVerification
    }

    /// Server host name or IP address.
    public var host: String
    /// Default: 587 (submission).
    public var port: Int
    /// Default: `.required`.
    public var startTLS: STARTTLSMode
    /// Default: `.systemDefault`.
    public var certificateTrust: CertificateTrust
    /// AUTH (PLAIN, else LOGIN) is used when set. Default: none.
    public var username: String?
    /// Never logged nor printed. Default: none.
    public var password: String?
    /// Whether credentials may be sent over a connection without TLS. Default: `false`.
    public var allowsAuthenticationWithoutTLS: Bool
    /// The name given in EHLO/HELO: this host's fully qualified name. Default: `localhost`.
    public var heloName: String
    /// Opening the TCP connection. Default: 10 s.
    public var connectTimeout: Duration
    /// Waiting for the reply to a command, the greeting, or a TLS handshake. Default: 60 s.
    public var commandTimeout: Duration
    /// Waiting for the reply after the message content (RFC 5321 4.5.3.2.6). Default: 10 min.
    public var dataTimeout: Duration

    public init(
        host: String, port: Int = 587, startTLS: STARTTLSMode = .required,
        certificateTrust: CertificateTrust = .systemDefault, username: String? = nil, password: String? = nil,
        allowsAuthenticationWithoutTLS: Bool = false, heloName: String = "localhost",
        connectTimeout: Duration = .seconds(10), commandTimeout: Duration = .seconds(60),
        dataTimeout: Duration = .seconds(600)
    ) {
        self.host = host
        self.port = port
        self.startTLS = startTLS
        self.certificateTrust = certificateTrust
        self.username = username
        self.password = password
        self.allowsAuthenticationWithoutTLS = allowsAuthenticationWithoutTLS
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.dataTimeout = dataTimeout
    }

    /// The settings without the password.
    public var description: String {
        "smtp://\(username.map { "\($0)@" } ?? "")\(host):\(port) starttls=\(startTLS.rawValue)"
            + " password=\(password == nil ? "unset" : "<redacted>")"
    }
}
