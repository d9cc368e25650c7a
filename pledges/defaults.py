"""The neutrality pact text that ships with the project (Pemilu and Pemilihan).

Written for this project after the clauses used across agencies in 2023–24
(docs/domain.md §4): neutrality before, during and after the elections;
no conflicts of interest, intimidation or siding with candidates; wise use of
social media; refusing money politics and gifts. The 0002 migration stores a
frozen copy of this text as version 1 of "netralitas-asn".
"""

DEFAULT_KEY = "netralitas-asn"

DEFAULT_TEXT = {
    "title": "PAKTA INTEGRITAS NETRALITAS ASN",
    "intro": (
        "dengan ini menyatakan bahwa saya, sebagai pegawai di lingkungan Pemasyarakatan, dalam penyelenggaraan "
        "Pemilihan Umum dan Pemilihan:"
    ),
    "clauses": "\n".join(
        [
            "Akan menjaga dan menegakkan prinsip netralitas Pegawai Aparatur Sipil Negara dalam melaksanakan tugas "
            "pelayanan publik, baik sebelum, selama, maupun sesudah pelaksanaan Pemilihan Umum dan Pemilihan;",
            "Akan menghindari konflik kepentingan, tidak melakukan intimidasi dan ancaman kepada pegawai, warga "
            "binaan, maupun masyarakat, serta tidak memihak kepada pasangan calon atau peserta pemilihan mana pun;",
            "Akan menggunakan media sosial secara bijak, tidak menyebarkan ujaran kebencian dan berita bohong "
            "(hoaks), serta tidak memberi dukungan kepada peserta pemilihan melalui media sosial;",
            "Akan menolak politik uang dan segala jenis pemberian dalam bentuk apa pun yang berkaitan dengan "
            "Pemilihan Umum dan Pemilihan.",
        ]
    ),
    "closing": (
        "Demikian pakta integritas ini saya buat dengan sungguh-sungguh dan tanpa paksaan dari pihak mana pun. "
        "Apabila saya melanggar hal-hal yang saya nyatakan dalam pakta integritas ini, saya bersedia dikenakan "
        "sanksi sesuai dengan ketentuan peraturan perundang-undangan."
    ),
}
