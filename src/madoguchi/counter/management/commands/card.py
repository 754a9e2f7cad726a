"""``./dev card read [--pin PIN] [--reader NAME]``: the four facts of the My Number
card on the first reader that holds one, as UTF-8 JSON
``{"name", "address", "birth_date", "sex"}``. Without ``--pin`` the PIN is asked
without echo. Errors go to stderr in Japanese, with the exit codes of
``counter/card/errors.py`` (2 no reader or card, 3 PIN, 4 blocked, 5 removed or
transmission, 6 other status word). Nothing is logged or kept.

``./dev card agent --server URL [--port 47321]``: the local agent that lets the
counter page on the server reach this PC's reader (``counter/card/agent.py``).
"""

from __future__ import annotations

import getpass
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from madoguchi.counter.card import CardError, read_card
from madoguchi.counter.card.agent import origin_of, run


class Command(BaseCommand):
    help = "マイナンバーカードの4情報(氏名・住所・生年月日・性別)を読み取ります。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        read = actions.add_parser("read", help="4情報を JSON で表示します", description=self.help)
        read.add_argument(
            "--pin", help="券面事項入力補助用の暗証番号(4桁)。省略すると入力を求めます"
        )
        read.add_argument(
            "--reader", help="使うカードリーダーの名前(省略: カードが置かれた最初のリーダー)"
        )

    def handle(self, *args, action, **options):
        if action == "read":
            self.read(options.get("pin"), options.get("reader"))
        elif action == "agent":
            try:
                origin_of(options["server"])
            except ValueError:
                raise CommandError(
                    "--server には madoguchi の URL(https://… )を指定してください"
                ) from None
            run(options["server"], options["port"], options.get("reader"))

    def read(self, pin: str | None, reader: str | None) -> None:
        if pin is None:
            try:
                pin = getpass.getpass("暗証番号(数字4桁): ")
            except (EOFError, KeyboardInterrupt):
                pin = ""
        try:
            facts = read_card(pin, reader=reader)
        except CardError as error:
            self.stderr.write(error.message)
            sys.exit(error.exit_code)
        text = json.dumps(facts.as_json(), ensure_ascii=False)
        if hasattr(sys.stdout, "buffer") and self.stdout._out is sys.stdout:
            sys.stdout.flush()  # UTF-8 whatever the terminal's locale says
            sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(text)
