"""PDFs for the upload checks, made on the fly: plain ones that must pass and a
hostile corpus that must be refused (nothing binary in git).

``raw_pdf`` writes the bytes by hand, so a test can use what a PDF writer
never emits: names spelled with ``#xx`` escapes, objects packed into a
compressed object stream behind a cross-reference stream (PDF 1.5), keys given
twice. The pypdf-made cases show the same features as real tools write them.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable

CONTENT = b"BT /F1 12 Tf 72 720 Td (Kartu Keluarga - synthetic test file) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def raw_pdf(objects: dict[int, bytes], *, compressed: Iterable[int] = ()) -> bytes:
    """A PDF of ``objects`` (number -> body) with object 1 as the catalog.

    Objects named in ``compressed`` go into one FlateDecode object stream and
    the file gets a cross-reference stream instead of an ``xref`` table.
    """
    packed = sorted(set(compressed))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        if number in packed:
            continue
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    if not packed:
        xref_at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            if number in offsets:
                out += b"%010d 00000 n \n" % offsets[number]
            else:
                out += b"0000000000 00000 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
        return bytes(out)

    stream_number, xref_number = size, size + 1
    pairs, bodies = [], b""
    for number in packed:
        pairs.append(b"%d %d" % (number, len(bodies)))
        bodies += objects[number] + b"\n"
    header = b" ".join(pairs) + b"\n"
    data = zlib.compress(header + bodies)
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n"
        % (stream_number, len(packed), len(header), len(data), data)
    )
    offsets[xref_number] = xref_at = len(out)
    rows = b""
    for number in range(xref_number + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif number in packed:
            rows += b"\x02" + stream_number.to_bytes(4, "big")
            rows += packed.index(number).to_bytes(2, "big")
        else:
            rows += b"\x00\x00\x00\x00\x00\xff\xff"
    data = zlib.compress(rows)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode"
        b" /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
        % (xref_number, xref_number + 1, len(data), data, xref_at)
    )
    return bytes(out)


def content_stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


def one_page(
    *, catalog: bytes = b"", page: bytes = b"", extra: dict[int, bytes] | None = None
) -> dict[int, bytes]:
    """A one-page document's objects; ``catalog``/``page`` add entries, numbers 6+ are free."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        4: content_stream(CONTENT),
        5: FONT,
        **(extra or {}),
    }


def _annotation(body: bytes) -> dict[int, bytes]:
    return one_page(page=b"/Annots [6 0 R]", extra={6: body})


# Each case: a file whose viewer would run, open, send or hand over something.
HAND_WRITTEN_HOSTILE: dict[str, bytes] = {
    # finding 5: the name escape the byte search missed
    "open action script, escaped names": raw_pdf(
        one_page(
            catalog=b"/OpenAction 6 0 R", extra={6: b"<< /S /Java#53cript /J#53 (app.alert(1)) >>"}
        )
    ),
    "open action script in a compressed object stream": raw_pdf(
        one_page(
            catalog=b"/OpenAction 6 0 R", extra={6: b"<< /S /JavaScript /JS (app.alert(1)) >>"}
        ),
        compressed=[1, 2, 3, 5, 6],
    ),
    "document script in the names tree, escaped": raw_pdf(
        one_page(
            catalog=b"/Names << /#4Aava#53cript << /Names [(x) 6 0 R] >> >>",
            extra={6: b"<< /S /JavaScript /JS (app.alert(1)) >>"},
        ),
        compressed=[1, 6],
    ),
    "page open action (AA)": raw_pdf(
        one_page(page=b"/A#41 << /O << /S /GoTo /D [3 0 R /Fit] >> >>")
    ),
    "catalog additional actions (AA)": raw_pdf(
        one_page(catalog=b"/AA << /WC 6 0 R >>", extra={6: b"<< /S /JavaScript /JS (x) >>"})
    ),
    "script as a string type": raw_pdf(
        one_page(catalog=b"/OpenAction << /S (JavaScript) /JS (app.alert(1)) >>")
    ),
    "launch action on a link": raw_pdf(
        _annotation(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842]"
            b" /A << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >> >>"
        )
    ),
    "web address on a link, escaped": raw_pdf(
        _annotation(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 20]"
            b" /A << /S /U#52I /URI (https://phish.example.invalid/) >> >>"
        ),
        compressed=[6],
    ),
    "web address hidden behind a repeated /S": raw_pdf(
        _annotation(
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 20]"
            b" /A << /S /GoTo /D [3 0 R /Fit] /S /URI /URI (https://phish.example.invalid/) >> >>"
        )
    ),
    "script chained after a harmless jump": raw_pdf(
        one_page(
            catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [6 0 R] >>",
            extra={6: b"<< /S /JavaScript /JS (app.alert(1)) >>"},
        )
    ),
    "print command chained after a harmless jump": raw_pdf(
        one_page(
            catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>",
            extra={6: b"<< /S /Named /N /Print >>"},
        )
    ),
    "form submitted to a server": raw_pdf(
        one_page(
            catalog=b"/AcroForm << /Fields [6 0 R] >>",
            page=b"/Annots [6 0 R]",
            extra={
                6: b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (send) /Rect [0 0 50 20]"
                b" /A << /S /SubmitForm /F << /FS /URL /F (https://x.example.invalid/) >> >> >>"
            },
        )
    ),
    "form field script (AA on a widget)": raw_pdf(
        one_page(
            catalog=b"/AcroForm << /Fields [6 0 R] >>",
            page=b"/Annots [6 0 R]",
            extra={
                6: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (nama) /Rect [0 0 50 20]"
                b" /AA << /K << /S /JavaScript /JS (x) >> >> >>"
            },
        )
    ),
    "import of outside data": raw_pdf(
        one_page(catalog=b"/OpenAction << /S /ImportData /F (data.fdf) >>")
    ),
    "jump to another file (GoToR)": raw_pdf(
        one_page(
            catalog=b"/OpenAction << /S /GoToR /F (\\\\\\\\host\\\\share\\\\a.pdf) /D [0 /Fit] >>"
        )
    ),
    "jump into an embedded file (GoToE)": raw_pdf(
        one_page(catalog=b"/OpenAction << /S /GoToE /T << /R /C /N (a) >> /D [0 /Fit] >>")
    ),
    "embedded file": raw_pdf(
        one_page(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>",
            extra={
                6: b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                7: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            },
        )
    ),
    "file attachment annotation": raw_pdf(
        _annotation(
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20]"
            b" /FS << /Type /Filespec /F (a.exe) >> >>"
        )
    ),
    "XFA form": raw_pdf(
        one_page(
            catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>",
            extra={6: b"<< /Length 9 >>\nstream\n<xdp:xdp>\nendstream"},
        )
    ),
    "rich media annotation": raw_pdf(
        _annotation(
            b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 20 20]"
            b" /RichMediaContent << /Assets << /Names [] >> >> >>"
        ),
        compressed=[6],
    ),
    "a script nothing points at, still in the file": raw_pdf(
        one_page(extra={6: b"<< /S /JavaScript /JS (app.alert(1)) >>"}), compressed=[6]
    ),
}


def _writer_pdf(build: Callable[..., None]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    build(writer, page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pypdf_hostile() -> dict[str, bytes]:
    """The same features as pypdf (a real PDF writer) puts them into a file."""
    from pypdf.actions import JavaScript
    from pypdf.annotations import Link
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    def script(writer, page):
        writer.add_open_action(JavaScript("app.alert('hi');"))

    def attachment(writer, page):
        writer.add_attachment("run.exe", b"MZ\x90\x00")

    def web_link(writer, page):
        writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.invalid/"))

    def page_script(writer, page):
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): JavaScript("app.launchURL('https://example.invalid/');")}
        )

    def launch(writer, page):
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )

    def xfa(writer, page):
        writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): ArrayObject([TextStringObject("template")]),
            }
        )

    return {
        "pypdf: open action script": _writer_pdf(script),
        "pypdf: embedded file": _writer_pdf(attachment),
        "pypdf: link to a web address": _writer_pdf(web_link),
        "pypdf: page open script": _writer_pdf(page_script),
        "pypdf: launch on open": _writer_pdf(launch),
        "pypdf: XFA form": _writer_pdf(xfa),
    }


def hostile_corpus() -> dict[str, bytes]:
    return {**HAND_WRITTEN_HOSTILE, **pypdf_hostile()}


def image_scan_pdf() -> bytes:
    """A scanner's output: one picture per page, nothing else (Pillow writes it)."""
    from PIL import Image

    buffer = io.BytesIO()
    pages = [Image.new("RGB", (400, 560), (240, 240, 235)) for _ in range(2)]
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=50)
    return buffer.getvalue()


def text_and_image_pdf() -> bytes:
    """A word processor's output: text, a photo, an internal link (fpdf2 writes it)."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    target = pdf.add_link(page=2)
    pdf.cell(0, 10, "Surat sponsor (synthetic test file) - see page 2", link=target)
    pdf.ln()
    pdf.image(Image.new("RGB", (120, 160), (20, 90, 160)), w=30)
    pdf.add_page()
    pdf.cell(0, 10, "Page 2: visit https://imigrasi.go.id (plain text, not a link)")
    return bytes(pdf.output())


# Structures that look busy but do nothing: they must pass.
HAND_WRITTEN_PLAIN: dict[str, bytes] = {
    # LibreOffice opens its exports at page one through a destination array
    "open at the first page (destination)": raw_pdf(
        one_page(catalog=b"/OpenAction [3 0 R /XYZ null null 0]")
    ),
    "bookmark and open action that jump inside the file": raw_pdf(
        one_page(
            catalog=b"/OpenAction << /Type /Action /S /GoTo /D [3 0 R /Fit] /Next null >>"
            b" /Outlines 6 0 R",
            extra={
                6: b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
                7: b"<< /Title (Halaman 1) /Parent 6 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
            },
        ),
        compressed=[1, 6, 7],
    ),
    "fillable form without actions": raw_pdf(
        one_page(
            catalog=b"/AcroForm << /Fields [6 0 R] >>",
            page=b"/Annots [6 0 R]",
            extra={6: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (nama) /Rect [0 0 50 20] >>"},
        )
    ),
    "tagged document with structure attributes (/A without /S)": raw_pdf(
        one_page(
            catalog=b"/MarkInfo << /Marked true >> /StructTreeRoot 6 0 R",
            extra={
                6: b"<< /Type /StructTreeRoot /K 7 0 R >>",
                7: b"<< /Type /StructElem /S /P /P 6 0 R /A << /O /Layout /Placement /Block >> >>",
            },
        )
    ),
    "the words /JavaScript /Launch in the page text": raw_pdf(
        {**one_page(), 4: content_stream(b"BT /F1 12 Tf 72 720 Td (/JavaScript /JS /Launch) Tj ET")}
    ),
}


def text_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for number in (1, 2):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, f"Kartu Keluarga, page {number} (synthetic test file)")
    return bytes(pdf.output())


def plain_corpus() -> dict[str, bytes]:
    return {
        "text (fpdf2)": text_pdf(),
        "scanned pictures (Pillow)": image_scan_pdf(),
        "text, photo and internal link (fpdf2)": text_and_image_pdf(),
        **HAND_WRITTEN_PLAIN,
    }
