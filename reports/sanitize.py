"""Strip hidden metadata and active content from evidence before it is stored.

A photo's EXIF can carry the GPS position and the phone's serial number, a
PDF's document information its author: either could unmask an anonymous
reporter. And a PDF can carry JavaScript that runs in the handler's viewer.

- Images must show, from their header, no more than settings.UPLOAD_MAX_IMAGE_PIXELS.
  JPEG and PNG are then decoded and re-encoded by Pillow from their pixels
  alone (orientation applied first); WebP is rebuilt from its image chunks
  without decoding (see strip_webp).
- PDFs are rewritten by qpdf (through pikepdf) without document information,
  XMP, embedded files, JavaScript and other automatic or dangerous actions.
  Stream data is copied as it is, never inflated: a content stream that
  inflates to gigabytes stays a few kilobytes. Only images carrying
  metadata inside their data are touched: JPEGs (DCTDecode) lose their APPn
  and comment segments and anything after their end marker without being
  decoded (lossless, and no pixel memory); JPEG 2000 files keep only the
  boxes a decoder needs. Every image's /Width × /Height is checked first.
- MP4 and WebM metadata is blanked in place (same length, so no media offset moves).
"""

from __future__ import annotations

import io
import re
import struct
import zlib

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.uploads import (
    EBML_SEGMENT,
    EBML_VOID,
    PIL_FORMATS,
    PieceCounter,
    TooComplex,
    TooManyPixels,
    check_pdf_images,
    check_pixels,
    check_structure,
    ebml_element,
    image_size,
    jpeg_segments,
    mp4_boxes,
    mp4_counter,
    pixel_limit_display,
    webm_counter,
)


def strip_image(data: bytes, kind: str) -> bytes:
    from PIL import Image, ImageOps

    # Refused when made of too many pieces or above the pixel limit, before Pillow reads a byte.
    check_structure(data, kind)
    image_size(data, kind)
    if kind == "webp":
        return strip_webp(data)
    with Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]]) as image:
        image.load()
        # In place: a decoded picture is the largest thing this request holds, so it is held once.
        ImageOps.exif_transpose(image, in_place=True)
        # Encoders write only the metadata save() is given, except what they take from info
        # (a PNG's ICC profile, a JPEG's comment): emptied, the file is its pixels alone.
        transparency = image.info.get("transparency")
        image.info = {} if transparency is None else {"transparency": transparency}
        out = io.BytesIO()
        if kind == "jpeg":
            image.save(out, "JPEG", quality=90)
        else:
            image.save(out, "PNG")
    return out.getvalue()


# WebP is not decoded: Pillow reads it through libwebp's animation decoder, about 16 bytes per
# pixel (a 40-megapixel WebP of a few bytes took 680 MB). Its image chunks cannot carry metadata,
# so the file is rebuilt from them alone; EXIF, XMP, ICC and unknown chunks are dropped.
WEBP_KEEP = {b"VP8X", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_FRAME_KEEP = {b"ALPH", b"VP8 ", b"VP8L"}
WEBP_METADATA_FLAGS = 0x04 | 0x08 | 0x20  # XMP, EXIF, ICC in the VP8X flags byte


def _riff_chunks(data: bytes, start: int, end: int):
    pos = start
    while pos < end:
        if pos + 8 > end:
            raise ValueError("truncated chunk header")
        fourcc, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if pos + 8 + size > end:
            raise ValueError("chunk overruns the file")
        yield fourcc, data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)


def _riff_chunk(fourcc: bytes, payload: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)


def strip_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("not a WebP file")
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    chunks = []
    for fourcc, payload in _riff_chunks(data, 12, end):
        if fourcc not in WEBP_KEEP:
            continue
        if fourcc == b"VP8X":
            if len(payload) < 10:
                raise ValueError("short VP8X chunk")
            payload = bytes((payload[0] & ~WEBP_METADATA_FLAGS,)) + payload[1:]
        elif fourcc == b"ANMF":
            if len(payload) < 16:
                raise ValueError("short ANMF chunk")
            frame = b"".join(
                _riff_chunk(sub, body)
                for sub, body in _riff_chunks(payload, 16, len(payload))
                if sub in WEBP_FRAME_KEEP
            )
            payload = payload[:16] + frame
        chunks.append(_riff_chunk(fourcc, payload))
    if not any(fourcc in (b"VP8 ", b"VP8L", b"ANMF") for fourcc in (c[:4] for c in chunks)):
        raise ValueError("WebP without image data")
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- JPEG and JPEG 2000 data inside PDFs ----------------------------------------------

JPEG_KEEP_APP = {0xE0, 0xEE}  # JFIF, and Adobe's colour transform, which decoding needs


def strip_jpeg_segments(data: bytes) -> bytes:
    """The JPEG without APP1–APP15 (EXIF, XMP, IPTC, ICC, maker data) except Adobe's, comments,
    and anything after its end marker (a second picture, a maker trailer); nothing is decoded.

    Walked by jpeg_segments, so a JPEG of too many scans or segments is refused (TooComplex)."""
    out = bytearray(b"\xff\xd8")
    for marker, start, end in jpeg_segments(data):
        if not ((0xE1 <= marker <= 0xEF and marker not in JPEG_KEEP_APP) or marker == 0xFE):
            out += bytes((0xFF, marker)) + data[start:end]
    out += b"\xff\xd9"
    return bytes(out)


JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
JP2_KEEP = {b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jpch", b"jplh", b"jp2c"}


def strip_jp2_boxes(data: bytes) -> bytes:
    """A JPEG 2000 file with only the boxes decoding needs (no XML, UUID/GeoJP2 or info boxes)."""
    if not data.startswith(JP2_SIGNATURE):
        return data  # a bare codestream: it has no boxes to carry metadata
    out, pos, end = bytearray(), 0, len(data)
    while pos + 8 <= end:
        size, box = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            if pos + 16 > end:
                raise ValueError("truncated box")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = end - pos
        if size < 8 or pos + size > end:
            raise ValueError("bad box size")
        if box in JP2_KEEP:
            out += data[pos : pos + size]
        pos += size
    return bytes(out)


def _filters(stream) -> tuple[list, list]:
    import pikepdf

    filters = stream.get("/Filter")
    parms = stream.get("/DecodeParms")
    filters = list(filters) if isinstance(filters, pikepdf.Array) else ([] if filters is None else [filters])
    parms = list(parms) if isinstance(parms, pikepdf.Array) else [parms] * len(filters)
    return filters, parms


def _inflate_capped(data: bytes, cap: int) -> bytes:
    inflater = zlib.decompressobj()
    result = inflater.decompress(data, cap)
    if inflater.unconsumed_tail:
        raise ValueError("image data inflates beyond what its size allows")
    return result


PDF_IMAGE_CODECS = ("/DCTDecode", "/JPXDecode")


def _codec_data(pdf, stream, filters: list, parms: list) -> bytes:
    """A JPEG's or JPEG 2000's data under the filters applied before its codec."""
    import pikepdf

    data = stream.read_raw_bytes()
    width, height = stream.get("/Width", 0), stream.get("/Height", 0)
    pixels = width * height if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0 else 0
    for name, parm in zip(filters[:-1], parms[:-1], strict=True):
        if name == "/FlateDecode" and parm is None:
            # A compressed JPEG: a real one is never larger than a few bytes per pixel.
            data = _inflate_capped(data, 8 * pixels + (1 << 20))
        elif name in ("/ASCIIHexDecode", "/ASCII85Decode"):  # never longer than what they decode
            data = pikepdf.Stream(pdf, data, Filter=pikepdf.Name(name)).read_bytes()
        else:
            raise ValueError("unsupported filter chain before an image codec")
    return data


def _clean_pdf_image(pdf, image) -> None:
    """Strip metadata carried inside a stream's JPEG or JPEG 2000 data, without decoding pixels.

    Any stream coded so, image XObject or not: a page's /Thumb is such a JPEG without /Subtype.
    """
    import pikepdf
    from pikepdf import Name

    filters, parms = _filters(image)
    if not filters or filters[-1] not in PDF_IMAGE_CODECS:
        return  # raw or otherwise-coded samples hold no metadata; the dictionary's /Metadata is dropped
    raw = _codec_data(pdf, image, filters, parms)
    if filters[-1] == "/DCTDecode":
        cleaned = strip_jpeg_segments(raw)
        from PIL import Image

        with Image.open(io.BytesIO(cleaned), formats=["JPEG"]) as check:  # still a JPEG; its own size checked
            check_pixels(*check.size)
    else:
        cleaned = strip_jp2_boxes(raw)
    last_parms = parms[-1] if parms and parms[-1] is not None else None
    image.write(cleaned, filter=Name(str(filters[-1])), decode_parms=last_parms)
    if isinstance(image.get("/DecodeParms"), pikepdf.Array):
        del image["/DecodeParms"]
        if last_parms is not None:
            image.DecodeParms = last_parms


# --- Inline images ---------------------------------------------------------------------
#
# Content streams (of pages, form XObjects, annotation appearances, tiling patterns and
# Type 3 glyphs) can hold images of their own, "inline" (BI … ID <data> EI), and an inline
# JPEG carries its EXIF like any other. qpdf turns the inline images of a content stream
# into image XObjects (externalize_inline_images), which are then cleaned like every other
# JPEG. Rewriting content streams through pikepdf.parse_content_stream instead makes a
# Python object of every operand: 4 MB of drawing operators took 450 MB.
#
# Only content streams that hold a JPEG or JPEG 2000 inline image are rewritten. Finding
# out means reading them decoded, so decoded content is bounded: streamed and scanned for
# the BI operator up to PDF_MAX_CONTENT_BYTES per file (a content stream can inflate a
# thousandfold; ordinary pages take kilobytes), and a content stream holding an inline
# image is parsed and rewritten only up to PDF_MAX_INLINE_CONTENT.
PDF_MAX_CONTENT_BYTES = 128 << 20
PDF_MAX_INLINE_CONTENT = 16 << 20
# How many times longer than its input a filter's output can be: bounds what decoding a content
# stream that is not simply Flate-compressed (streamed) can take, before it is decoded.
PDF_FILTER_EXPANSION = {
    "/ASCIIHexDecode": 1,
    "/ASCII85Decode": 1,
    "/RunLengthDecode": 64,
    "/LZWDecode": 1400,  # a code table of 4096 entries grows one byte per entry
    "/FlateDecode": 1032,
}
_NOT_REGULAR = b"\x00\t\n\x0c\r ()<>[]{}/%"  # white space and delimiters end a PDF token
_BI = re.compile(rb"BI(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])")


class ContentTooLarge(ValueError):
    """Page content beyond what is read to look for inline images; args[0] is the limit in bytes."""


class _Budget:
    def __init__(self, size: int):
        self.left = size

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise ContentTooLarge(PDF_MAX_CONTENT_BYTES)


def _decoded_chunks(stream, budget: _Budget):
    """A content stream's decoded data, in pieces of at most 1 MB when it is only Flate-compressed."""
    import pikepdf

    filters, parms = _filters(stream)
    raw = stream.read_raw_bytes()
    plain = parms[0] is None or (isinstance(parms[0], pikepdf.Dictionary) and parms[0].get("/Predictor", 1) == 1)
    if filters == ["/FlateDecode"] and plain:
        inflater = zlib.decompressobj()
        while raw:
            try:
                chunk = inflater.decompress(raw, 1 << 20)
            except zlib.error:
                return  # what a viewer can show of a damaged stream has been read
            budget.spend(len(chunk))
            yield chunk
            raw = inflater.unconsumed_tail
        return
    bound = len(raw)
    for name in map(str, filters):
        if name not in PDF_FILTER_EXPANSION:
            raise ValueError(f"content stream coded with {name}")
        bound *= PDF_FILTER_EXPANSION[name]
    if bound > budget.left:
        raise ContentTooLarge(PDF_MAX_CONTENT_BYTES)
    data = stream.read_bytes()
    budget.spend(len(data))
    yield data


def _holds_inline_images(streams, budget: _Budget) -> bool:
    """Whether content streams (read as one) hold the BI operator; raises ContentTooLarge past
    PDF_MAX_INLINE_CONTENT when they do."""
    found, size = False, 0
    for stream in streams:
        tail = b" "  # streams are read as if separated by white space
        for chunk in _decoded_chunks(stream, budget):
            size += len(chunk)
            if not found:
                window = tail + chunk
                for match in _BI.finditer(window):
                    if match.start() == 0 or window[match.start() - 1] in _NOT_REGULAR:
                        found = True
                        break
                tail = window[-3:]
    if found and size > PDF_MAX_INLINE_CONTENT:
        raise ContentTooLarge(PDF_MAX_INLINE_CONTENT)
    return found


def _holds_coded_inline_images(target) -> bool:
    """Whether a page's or content stream's inline images include a JPEG or JPEG 2000, as qpdf parses them."""
    import pikepdf

    for instruction in pikepdf.parse_content_stream(target, "BI ID EI"):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            filters = instruction.iimage.obj.get("/Filter")
            names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
            if any(name in PDF_IMAGE_CODECS for name in names):
                return True
    return False


def _externalize(target, streams, budget: _Budget, prepare) -> bool:
    """Turn a page's or a content stream's inline images into image XObjects if a JPEG is among them
    (returns whether it did).

    `prepare` gives the target what qpdf needs (a form XObject's /Subtype, resources) and returns
    what undoes that, or None.
    """
    import pikepdf

    if not _holds_inline_images(streams, budget) or not _holds_coded_inline_images(target):
        return False
    undo = prepare()
    page = target if isinstance(target, pikepdf.Page) else pikepdf.Page(target)
    page.externalize_inline_images(0, True)
    if undo:
        undo()
    if _holds_coded_inline_images(target):
        raise ValueError("inline JPEG left in a content stream")
    return True


def _as_form(stream, *, keep_subtype: bool):
    """A preparation for _externalize: the stream becomes a form XObject with resources of its own,
    which keep the images qpdf takes out of it. Tiling patterns drop the /Subtype again; annotation
    appearances are form XObjects anyway."""
    from pikepdf import Dictionary, Name

    def prepare():
        had_subtype = "/Subtype" in stream
        stream.Subtype = Name.Form
        if "/Resources" not in stream:
            stream.Resources = Dictionary()

        def undo():
            if not had_subtype and not keep_subtype:
                del stream["/Subtype"]

        return undo

    return prepare


def _as_glyph_form(glyph, font):
    """A preparation for _externalize of a Type 3 glyph: its images go into its font's resources.

    qpdf names them after the names already there (the glyph gets a copy), so none is replaced.
    """
    from pikepdf import Dictionary, Name

    def prepare():
        resources = font.get("/Resources")
        glyph.Subtype = Name.Form
        glyph.Resources = resources if isinstance(resources, Dictionary) else Dictionary()

        def undo():
            images = glyph.Resources.get("/XObject")
            if isinstance(images, Dictionary) and len(images):
                if not isinstance(font.get("/Resources"), Dictionary):
                    font.Resources = Dictionary()
                if not isinstance(font.Resources.get("/XObject"), Dictionary):
                    font.Resources.XObject = Dictionary()
                for name in images.keys():
                    font.Resources.XObject[name] = images[name]
            del glyph["/Subtype"]
            del glyph["/Resources"]

        return undo

    return prepare


def _with_resources(page):
    """A preparation for _externalize: the page gets resources of its own (qpdf needs them),
    those it inherits from the page tree or empty ones."""
    import pikepdf

    def prepare():
        if "/Resources" not in page.obj:
            inherited = page.get_resources()
            page.obj.Resources = inherited if isinstance(inherited, pikepdf.Dictionary) else pikepdf.Dictionary()

    return prepare


class _InlineImages:
    """Finds the content streams of a PDF and has qpdf externalize their JPEG inline images.

    Pages first (pages()); then every dictionary met while the PDF is cleaned (visit()): form
    XObjects, tiling patterns, the appearance streams of annotations, Type 3 glyphs.
    """

    def __init__(self, pdf):
        self.pdf = pdf
        self.budget = _Budget(PDF_MAX_CONTENT_BYTES)
        self.done: set[tuple[int, int]] = set()
        self.externalized = False

    def _run(self, target, streams, prepare) -> None:
        self.externalized |= _externalize(target, streams, self.budget, prepare)

    def _once(self, stream) -> bool:
        import pikepdf

        if not isinstance(stream, pikepdf.Stream) or stream.objgen in self.done:
            return False
        self.done.add(stream.objgen)
        return True

    def pages(self) -> None:
        import pikepdf

        for page in self.pdf.pages:
            contents = page.obj.get("/Contents")
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
            self._run(page, streams, _with_resources(page))

    def visit(self, d) -> None:
        import pikepdf

        keys = set(d.keys())
        if isinstance(d, pikepdf.Stream) and "/Subtype" in keys and d.Subtype == "/Form" and self._once(d):
            self._run(d, [d], _as_form(d, keep_subtype=True))
        elif isinstance(d, pikepdf.Stream) and "/PatternType" in keys and d.PatternType == 1 and self._once(d):
            self._run(d, [d], _as_form(d, keep_subtype=False))
        if "/AP" in keys and isinstance(d.AP, pikepdf.Dictionary):  # /N, /R, /D: a form, or forms by state
            for key in ("/N", "/R", "/D"):
                entry = d.AP.get(key)
                states = [entry[s] for s in entry.keys()] if isinstance(entry, pikepdf.Dictionary) else [entry]
                for stream in states:
                    if self._once(stream):
                        self._run(stream, [stream], _as_form(stream, keep_subtype=True))
        if "/CharProcs" in keys and d.get("/Subtype") == "/Type3" and isinstance(d.CharProcs, pikepdf.Dictionary):
            for name in list(d.CharProcs.keys()):
                glyph = d.CharProcs[name]
                if self._once(glyph):
                    self._run(glyph, [glyph], _as_glyph_form(glyph, d))


# Keys dropped wherever they appear: metadata, page-open/close and field actions,
# embedded and associated files, page thumbnails (a JPEG with the EXIF of the photo it shows).
PDF_DROP_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/OpenAction", "/JS", "/EF", "/RF", "/AF", "/Thumb")
PDF_DROP_CATALOG = ("/SpiderInfo", "/Perms", "/Collection", "/Threads")
PDF_DROP_NAMES = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations")
PDF_BAD_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/Rendition",
    "/GoToE",
    "/RichMediaExecute",
}
PDF_DROP_ANNOTATIONS = {"/FileAttachment", "/RichMedia"}


def _is_bad_action(action) -> bool:
    import pikepdf

    return isinstance(action, pikepdf.Dictionary) and (action.get("/S") in PDF_BAD_ACTIONS or "/JS" in action)


def _clean_pdf_dictionary(d) -> None:
    import pikepdf

    if _is_bad_action(d.get("/A")):
        del d["/A"]
    following = d.get("/Next")
    if _is_bad_action(following):
        del d["/Next"]
    elif isinstance(following, pikepdf.Array):
        kept = [action for action in following if not _is_bad_action(action)]
        if kept:
            d.Next = pikepdf.Array(kept)
        else:
            del d["/Next"]
    for key in PDF_DROP_KEYS:
        if key in d:
            del d[key]
    if "/Rect" in d and "/Subtype" in d and d.get("/Subtype") != "/Widget":
        for key in ("/T", "/M", "/CreationDate"):  # a comment's author and dates
            if key in d:
                del d[key]
    annotations = d.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        kept = [
            a
            for a in annotations
            if not (isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") in PDF_DROP_ANNOTATIONS)
        ]
        if len(kept) != len(annotations):
            d.Annots = pikepdf.Array(kept)


def _clean_pdf_object(obj, inline_images: _InlineImages) -> None:
    """Clean a dictionary, stream or array and the direct objects inside it (indirect ones get their own turn)."""
    import pikepdf

    pending = [obj]
    while pending:
        current = pending.pop()
        if isinstance(current, (pikepdf.Dictionary, pikepdf.Stream)):
            _clean_pdf_dictionary(current)
            inline_images.visit(current)
            children = [current[key] for key in current.keys()]
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and not child.is_indirect
        )


def strip_pdf(data: bytes) -> bytes:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise ValidationError(
            _("PDF yang dikunci dengan kata sandi tidak dapat diterima; kirim PDF tanpa kunci.")
        ) from None
    with pdf:
        check_pdf_images(pdf)
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        root = pdf.Root
        for key in PDF_DROP_CATALOG:
            if key in root:
                del root[key]
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            for key in PDF_DROP_NAMES:
                if key in names:
                    del names[key]
        form = root.get("/AcroForm")
        if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:  # XFA forms carry their own scripts
            del form["/XFA"]
        inline_images = _InlineImages(pdf)
        inline_images.pages()
        _clean_pdf_object(pdf.trailer, inline_images)
        objects = list(pdf.objects)
        for obj in objects:
            _clean_pdf_object(obj, inline_images)
            if isinstance(obj, pikepdf.Stream):
                _clean_pdf_image(pdf, obj)
        if inline_images.externalized:  # the image XObjects made from inline images
            known = {obj.objgen for obj in objects}
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.objgen not in known:
                    _clean_pdf_image(pdf, obj)
        out = io.BytesIO()
        # Streams are copied as stored (never inflated); objects nothing refers to any more
        # (the document information, detached scripts) are not written; the file ID is new.
        pdf.save(
            out,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            preserve_pdfa=False,
            fix_metadata_version=False,
            deterministic_id=True,
        )
    return out.getvalue()


# MP4 boxes that only hold metadata (location "©xyz", device make and model; XMP,
# GeoJP2-like and vendor data in "uuid" boxes), at the top level and in the
# containers walked: blanked to "free" boxes of the same size, so no sample offset moves.
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}
MP4_METADATA = {b"udta", b"meta", b"uuid"}


def _blank_mp4_boxes(buffer: bytearray, start: int, end: int, counter: PieceCounter, top_level: bool) -> None:
    for box, offset, header, box_end in mp4_boxes(buffer, start, end, counter, top_level=top_level):
        if box in MP4_METADATA:
            buffer[offset + 4 : offset + 8] = b"free"
            buffer[offset + header : box_end] = bytes(box_end - offset - header)
        elif box in MP4_CONTAINERS:
            _blank_mp4_boxes(buffer, offset + header, box_end, counter, top_level=False)


def strip_mp4(data: bytes) -> bytes:
    """Raises ValueError unless every box walked (the top level, moov, trak, mdia, minf) is well formed:
    a box that cannot be walked could hide the metadata after it."""
    buffer = bytearray(data)
    _blank_mp4_boxes(buffer, 0, len(buffer), mp4_counter(), top_level=True)
    return bytes(buffer)


# Matroska/WebM (EBML): tags, attachments, and the title and date in the
# segment info are overwritten by Void elements of exactly the same length.
EBML_INFO = 0x1549A966
EBML_CLUSTER = 0x1F43B675
EBML_BLANK_TOP = {0x1254C367, 0x1941A469}  # Tags, Attachments
EBML_BLANK_INFO = {0x7BA9, 0x4461}  # Title, DateUTC
EBML_SEGMENT_CHILDREN = {
    0x114D9B74,
    EBML_INFO,
    0x1654AE6B,
    0x1254C367,
    0x1941A469,
    0x1043A770,
    0x1C53BB6B,
    EBML_CLUSTER,
}


def _ebml_void(buffer: bytearray, offset: int, total: int) -> None:
    """Overwrite `total` bytes at offset with one Void element."""
    size_length = min(8, total - 1)
    payload = total - 1 - size_length
    size = (1 << (7 * size_length)) | payload  # the length marker bit, then the payload size
    buffer[offset] = EBML_VOID
    buffer[offset + 1 : offset + 1 + size_length] = size.to_bytes(size_length, "big")
    buffer[offset + 1 + size_length : offset + total] = bytes(payload)


def _ebml_children(
    buffer: bytearray, start: int, end: int, blank: set[int], counter: PieceCounter, stop: set[int] | None = None
) -> int:
    """Walk the elements in [start, end); blank those in `blank`. Returns where the walk stopped."""
    offset = start
    while offset < end:
        counter.take()
        element, header, size = ebml_element(buffer, offset)
        if stop is not None and element in stop:
            return offset
        if size is None:
            if element != EBML_CLUSTER:
                raise ValueError("unknown-size element")
            # A live-recorded cluster: its end is where the next segment-level element starts.
            offset = _ebml_children(buffer, offset + header, end, set(), counter, stop=EBML_SEGMENT_CHILDREN)
            continue
        total = header + size
        if offset + total > end:
            raise ValueError("element overruns its parent")
        if element in blank:
            _ebml_void(buffer, offset, total)
        elif element == EBML_INFO:
            _ebml_children(buffer, offset + header, offset + total, EBML_BLANK_INFO, counter)
        offset += total
    return end


def strip_webm(data: bytes) -> bytes:
    """Raises ValueError unless the top level and every segment walk to their ends."""
    buffer = bytearray(data)
    counter = webm_counter()
    offset = 0
    while offset < len(buffer):
        counter.take()
        element, header, size = ebml_element(buffer, offset)
        if size is None:
            if element != EBML_SEGMENT:
                raise ValueError("unknown-size element at the top level")
            end = len(buffer)
        else:
            end = offset + header + size
            if end > len(buffer):
                raise ValueError("element overruns the file")
        if element == EBML_SEGMENT:
            _ebml_children(buffer, offset + header, end, EBML_BLANK_TOP, counter)
        offset = end
    return bytes(buffer)


def strip_metadata(data: bytes, kind: str) -> bytes:
    """The file's content without hidden metadata; raises ValidationError if it cannot be read."""
    try:
        if kind in PIL_FORMATS:
            return strip_image(data, kind)
        if kind == "pdf":
            return strip_pdf(data)
        if kind == "mp4":
            return strip_mp4(data)
        if kind == "webm":
            return strip_webm(data)
    except ValidationError:
        raise
    except TooManyPixels:
        raise ValidationError(
            _(
                "Gambar dalam berkas terlalu besar: lebih dari %(max)s piksel (lebar × tinggi). "
                "Perkecil gambarnya lalu unggah lagi."
            )
            % {"max": pixel_limit_display()}
        ) from None
    except ContentTooLarge as exc:
        raise ValidationError(
            _(
                "Isi halaman PDF ini terlalu besar untuk diperiksa (lebih dari %(max)s setelah dibuka). "
                "Simpan ulang PDF-nya dengan aplikasi lain, lalu unggah lagi."
            )
            % {"max": filesizeformat(exc.args[0])}
        ) from None
    except TooComplex as exc:
        raise ValidationError(
            _(
                "Berkas ini tersusun dari terlalu banyak bagian untuk diproses (%(detail)s). "
                "Simpan ulang berkasnya dengan aplikasi lain, lalu unggah lagi."
            )
            % {"detail": exc.detail}
        ) from None
    except Exception:
        raise ValidationError(_("Berkas tidak dapat dibaca untuk dibersihkan dari metadata.")) from None
    return data
