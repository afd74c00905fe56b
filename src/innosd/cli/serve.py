"""``innosd serve``: the planner's scenario explorer, a web page on this computer."""

from __future__ import annotations

import socket
import sys

from ..errors import InputError


def register(sub) -> None:
    """Add ``serve`` to the sub-parsers ``sub``."""
    p = sub.add_parser("serve", help="open the scenario explorer in the browser (a local web page)")
    p.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 opens it to the network)")
    p.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    """Serve the explorer of the current project until Ctrl-C; exit code 0 (2 for a port that cannot be used)."""
    from .. import paths
    from ..explorer import Server, create_app, warm_up

    if not 0 <= args.port <= 65535:
        raise InputError("--port", "", f"{args.port} is not a port number", "use a port from 1024 to 65535, e.g. 8050")
    app = create_app(paths.current(), warm=False)
    try:
        server = Server(app, args.host, args.port)
    except socket.gaierror as exc:
        raise InputError("--host", "", f"unknown address {args.host!r} ({exc.strerror or exc})",
                         "leave --host out (this computer only) or give an address of this computer") from None
    except OSError as exc:
        raise InputError("--port", "", f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc})",
                         f"use another port, e.g. --port {args.port + 1}, or close the program using it") from None
    try:
        print("innosd explorer: loading the model and the 2027 plan …", file=sys.stderr)
        warm_up(app)
        print(f"innosd explorer: {server.url} (project {paths.current().root}); Ctrl-C stops it", file=sys.stderr)
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"note: listening on {args.host}: other computers on the network can open the page",
                  file=sys.stderr)
        if not args.no_browser:
            import webbrowser

            webbrowser.open(server.url)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
