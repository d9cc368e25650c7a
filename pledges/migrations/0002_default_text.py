"""Ships the default neutrality pact text (a frozen copy of pledges/defaults.py at the time)."""

from django.db import migrations

KEY = 'netralitas-asn'
TEXT = {
    "title": 'PAKTA INTEGRITAS NETRALITAS ASN',
    "intro": 'dengan ini menyatakan bahwa saya, sebagai pegawai di lingkungan Pemasyarakatan, dalam penyelenggaraan Pemilihan Umum dan Pemilihan:',
    "clauses": 'Akan menjaga dan menegakkan prinsip netralitas Pegawai Aparatur Sipil Negara dalam melaksanakan tugas pelayanan publik, baik sebelum, selama, maupun sesudah pelaksanaan Pemilihan Umum dan Pemilihan;\nAkan menghindari konflik kepentingan, tidak melakukan intimidasi dan ancaman kepada pegawai, warga binaan, maupun masyarakat, serta tidak memihak kepada pasangan calon atau peserta pemilihan mana pun;\nAkan menggunakan media sosial secara bijak, tidak menyebarkan ujaran kebencian dan berita bohong (hoaks), serta tidak memberi dukungan kepada peserta pemilihan melalui media sosial;\nAkan menolak politik uang dan segala jenis pemberian dalam bentuk apa pun yang berkaitan dengan Pemilihan Umum dan Pemilihan.',
    "closing": 'Demikian pakta integritas ini saya buat dengan sungguh-sungguh dan tanpa paksaan dari pihak mana pun. Apabila saya melanggar hal-hal yang saya nyatakan dalam pakta integritas ini, saya bersedia dikenakan sanksi sesuai dengan ketentuan peraturan perundang-undangan.',
}


def add_default_text(apps, schema_editor):
    PactText = apps.get_model("pledges", "PactText")
    if not PactText.objects.filter(key=KEY).exists():
        PactText.objects.create(key=KEY, version=1, **TEXT)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]

    operations = [migrations.RunPython(add_default_text, migrations.RunPython.noop)]
