"""A real SMTP server (aiosmtpd) for the SMTP client's integration tests.

Listens on 127.0.0.1, on a port the kernel picks, and writes into --folder:
  port          the port, once it accepts connections
  NNNN.eml      each accepted message's content as received (after un-dot-stuffing)
  log.jsonl     one JSON object per event: connections, messages (envelope, TLS, login,
                whether MAIL arrived with the rest of its pipelined group), RSETs, refusals
Behaviours for the tests: STARTTLS (--cert/--key), AUTH (--user/--password, --mechanisms),
PIPELINING advertised (--pipelining), EHLO refused (--no-ehlo), recipients refused with 550
(--reject) or 451 (--defer), MAIL refused with 451 (--defer-sender), connection closed after
N messages (--close-after), 421 to the next command after N messages (--refuse-after), a
slow reply to the content (--stall-data SECONDS), the content refused with 451
(--defer-data) or 554 (--reject-data), a SIZE limit (--size-limit OCTETS).
"""
import argparse
import asyncio
import itertools
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
    # The test process may start us with SIGTERM blocked or ignored; stop() relies on it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--mechanisms", default="PLAIN,LOGIN")
    parser.add_argument("--pipelining", action="store_true")
    parser.add_argument("--no-ehlo", action="store_true")
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--defer-sender", action="append", default=[])
    parser.add_argument("--close-after", type=int, default=0)
    parser.add_argument("--refuse-after", type=int, default=0)
    parser.add_argument("--size-limit", type=int, default=33554432)
    parser.add_argument("--stall-data", type=float, default=0)
    parser.add_argument("--defer-data", action="store_true")
    parser.add_argument("--reject-data", action="store_true")
    options = parser.parse_args()
    asyncio.run(serve(options))


class Recorder:
    """aiosmtpd handler hooks: refuse what the options say, store what is accepted."""

    def __init__(self, options):
        self.options = options
        self.message_numbers = itertools.count(1)

    def log(self, **event):
        with open(os.path.join(self.options.folder, "log.jsonl"), "a") as log:
            log.write(json.dumps(event) + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.options.no_ehlo:
            return ["502 5.5.1 EHLO not implemented"]
        session.host_name = hostname
        if self.options.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    def refusing(self, server):
        """Whether this connection has served its messages: say 421 and close."""
        if self.options.refuse_after and server.messages >= self.options.refuse_after:
            asyncio.get_running_loop().call_soon(server.transport.close)
            return True
        return False

    async def handle_RSET(self, server, session, envelope):
        self.log(event="rset", connection=server.connection_number)
        return "421 4.3.2 Too many messages on this connection, closing" if self.refusing(server) else "250 2.0.0 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refusing(server):
            return "421 4.3.2 Too many messages on this connection, closing"
        # With PIPELINING, RCPT TO arrives in the same write as MAIL FROM, so it is already
        # waiting in the reader when MAIL is handled.
        server.pipelined = len(server._reader._buffer) > 0
        if address in self.options.defer_sender:
            return "451 4.3.0 Sender deferred, try later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.options.reject:
            return "550 5.1.1 No such user here"
        if address in self.options.defer:
            return "451 4.2.1 Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.options.stall_data:
            await asyncio.sleep(self.options.stall_data)
        if self.options.defer_data:
            return "451 4.3.1 Queue full, try later"
        if self.options.reject_data:
            return "554 5.6.0 Content refused"
        number = next(self.message_numbers)
        name = f"{number:04d}.eml"
        with open(os.path.join(self.options.folder, name), "wb") as file:
            file.write(envelope.original_content)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.log(event="message", file=name, connection=server.connection_number,
                 mail_from=envelope.mail_from, rcpt_tos=envelope.rcpt_tos,
                 mail_options=envelope.mail_options, tls=server._tls_protocol is not None,
                 login=login, helo=session.host_name, pipelined=getattr(server, "pipelined", False))
        server.messages += 1
        if self.options.close_after and server.messages >= self.options.close_after:
            # Once the reply has gone out (close() flushes it), as a server closing a used-up
            # or idle connection.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return f"250 2.0.0 Queued as {number:04d}"


def authenticator(options):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == options.user
              and auth_data.password.decode() == options.password)
        # handled=False: aiosmtpd then replies 535 itself on failure.
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


async def serve(options):
    handler = Recorder(options)
    tls_context = None
    if options.cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(options.cert, options.key)
    excluded = [m for m in ("PLAIN", "LOGIN") if m not in options.mechanisms.split(",")]
    connections = itertools.count(1)

    def factory():
        server = SMTP(
            handler, hostname="relance-test-smtp", tls_context=tls_context, data_size_limit=options.size_limit,
            authenticator=authenticator(options) if options.user else None,
            auth_exclude_mechanism=excluded, auth_require_tls=True)
        server.connection_number = next(connections)
        server.messages = 0
        handler.log(event="connection", connection=server.connection_number)
        return server

    loop = asyncio.get_running_loop()
    listener = await loop.create_server(factory, host="127.0.0.1", port=0)
    port = listener.sockets[0].getsockname()[1]
    temporary = os.path.join(options.folder, "port.tmp")
    with open(temporary, "w") as file:
        file.write(str(port))
    os.rename(temporary, os.path.join(options.folder, "port"))
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    main()
