"""`hipcoach triage | chat | serve`: one entry point, each command loaded only when used."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = """usage: hipcoach {triage,plan,chat,serve} ...

  triage FINDINGS.json|-   run the hip rules on findings, print the JSON result
  plan --user ID [--date YYYY-MM-DD]
                           print the care plan of a stored runner on a date
  chat [--json] [--script FILE] [--user ID] [--date YYYY-MM-DD] [--endpoint URL] [--speak]
                           talk to the skill as an Echo would
  serve [--port N] [--no-verify]
                           run the web service endpoint on localhost
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "triage":
        from hipcoach.tools.triage_cli import main as triage_main

        return triage_main(rest)
    if command == "plan":
        from hipcoach.tools.plan_cli import main as plan_main

        return plan_main(rest)
    if command == "chat":
        from hipcoach.standin.chat import main as chat_main

        return chat_main(rest)
    if command == "serve":
        from hipcoach.hosting.web import serve

        return serve(rest)
    print(f"hipcoach: unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
