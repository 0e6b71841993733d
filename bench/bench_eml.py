"""Per-release .eml time: pressexport's mail writer against the raw `email` package building the
same message (same headers, text and HTML alternatives, two attachments), with Python's own
random boundaries. Ours includes turning the web page into the email HTML (css-inline); the raw
side is handed that HTML ready-made.

    PYTHONPATH=src python bench/bench_eml.py [--rounds N] [--attachment-kib K]

Both sides run interleaved in the same process on the seed's text version and attachments of
K KiB each (random bytes: the PDF and DOCX are already compressed); the best round of each is
compared, so other load on the machine affects both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from email import policy
from email.message import EmailMessage
from pathlib import Path

from timing import best

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import SEED_SLUG  # noqa: E402
from pressexport.formats import DOCX_MIME  # noqa: E402
from pressexport.load import load_project  # noqa: E402
from pressexport.view import subject, view  # noqa: E402
from pressexport.writers import Context, mail, text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--attachment-kib", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "source", folder / "source")
    project = load_project(folder / "source")
    release = project.release(SEED_SLUG)
    ctx = Context(project, None)
    v = view(release)
    pdf, docx = os.urandom(args.attachment_kib * 1024), os.urandom(args.attachment_kib * 1024)
    inputs = {"pdf": pdf, "docx": docx}
    body = text.render_body(v, ctx)
    html = mail.email_html(v, ctx)

    def ours() -> bytes:
        return mail.write(v, ctx, inputs)[0].data

    def raw() -> bytes:
        msg = EmailMessage(policy=policy.SMTP)
        msg["From"] = release.site.email.from_
        msg["Reply-To"] = release.site.email.reply_to
        msg["To"] = "undisclosed-recipients:;"
        msg["Subject"] = subject(release)
        msg["Date"] = release.published
        msg["Message-ID"] = mail.message_id(release)
        msg.set_content(body, charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        msg.add_attachment(pdf, "application", "pdf", filename=f"{SEED_SLUG}.pdf")
        msg.add_attachment(docx, *DOCX_MIME.split("/"), filename=f"{SEED_SLUG}.docx")
        return msg.as_bytes()

    ours_ms, raw_ms = [], []
    for _ in range(args.rounds):  # interleaved
        ours_ms.append(best(ours, 1, repeat=20) * 1000)
        raw_ms.append(best(raw, 1, repeat=20) * 1000)
    mine, theirs = min(ours_ms), min(raw_ms)
    print(f".eml with 2 x {args.attachment_kib} KiB attached: pressexport {mine:.2f} ms, "
          f"raw email package {theirs:.2f} ms, ratio {mine / theirs:.2f}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
