"""Scale data set, after satgas.scale: the pact text, one open national campaign, optional past ones, signatures.

Signatures are made by pledges.actions._new_signature, the function the
online and paper signing actions use, so the snapshot of the signer, the
fingerprint and the verification code are exactly what signing computes.
Online signers sign through their own login; the others on paper, in a
batch per briefing with the scanned sheet (one stand-in PDF shared by all).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.files.storage import default_storage
from django.utils import timezone

from facilities.scale import BATCH, Scale, bulk
from pledges.actions import _new_signature, sha256_hex
from pledges.defaults import DEFAULT_KEY, DEFAULT_TEXT
from pledges.demo import _scan_pdf
from pledges.models import Campaign, PactText, PaperBatch, Signature
from satgas.models import Period

NATIONAL_SIGNED = 52_000 / 60_000  # share of active staff who signed the open campaign
PAST_SIGNED = 0.93
USER_AGENTS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A245F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 Chrome/119.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile Safari/604.1",
]
# Earlier elections, newest first: the periods past campaigns belong to (beyond the demo's two).
PAST_PERIODS = [
    ("Pilkada 2024", "PILKADA", dt.date(2024, 8, 27), dt.date(2025, 3, 31)),
    ("Pemilu 2024", "PEMILU", dt.date(2023, 11, 28), dt.date(2024, 10, 20)),
    ("Pilkada 2020", "PILKADA", dt.date(2020, 6, 15), dt.date(2021, 3, 31)),
    ("Pemilu 2019", "PEMILU", dt.date(2018, 9, 23), dt.date(2019, 10, 20)),
    ("Pilkada 2018", "PILKADA", dt.date(2018, 1, 8), dt.date(2018, 10, 31)),
    ("Pilkada 2017", "PILKADA", dt.date(2016, 9, 1), dt.date(2017, 7, 31)),
    ("Pilkada 2015", "PILKADA", dt.date(2015, 6, 1), dt.date(2016, 3, 31)),
    ("Pemilu 2014", "PEMILU", dt.date(2013, 8, 1), dt.date(2014, 10, 20)),
]


def _past_period(scale: Scale, n: int) -> Period:
    if n < len(PAST_PERIODS):
        name, kind, start, end = PAST_PERIODS[n]
    else:  # beyond the list: one more Pilkada-like round a year earlier each time
        year = 2013 - (n - len(PAST_PERIODS))
        name, kind, start, end = f"Pilkada {year}", "PILKADA", dt.date(year - 1, 6, 1), dt.date(year, 3, 31)
    period, _created = Period.objects.get_or_create(
        name=name, defaults={"election_type": kind, "start_date": start, "end_date": end}
    )
    return period


def _campaign(scale: Scale, text: PactText, period: Period, opens: dt.datetime, closes: dt.datetime) -> Campaign:
    return Campaign.objects.create(
        name=f"Pakta Integritas Netralitas ASN dan PPNPN — {period.name}",
        period=period,
        text=text,
        scope=Campaign.Scope.ALL,
        opens_at=opens,
        closes_at=closes,
        created_by=scale.national_admin,
        created_at=opens - dt.timedelta(days=3),
    )


def _sign(scale: Scale, campaign: Campaign, share: float, scan: str, scan_sha: str, eligible=None) -> tuple[int, int]:
    """Signatures of about `share` of each UPT's active staff: online for those with a login (mostly), else on
    paper at one or two briefings. Returns (online, paper)."""
    rng = scale.rng
    opens = campaign.opens_at
    last = min(campaign.closes_at, scale.now) - dt.timedelta(hours=1)
    first_day = timezone.localtime(opens).date() + dt.timedelta(days=1)
    last_day = timezone.localtime(last).date()
    online = paper = 0
    pending: list[Signature] = []
    for facility in scale.facility_list:
        roster = [e for e in scale.rosters[facility.pk] if eligible is None or eligible(e)]
        rate = min(1.0, max(0.3, rng.gauss(share, 0.08)))
        signers = rng.sample(roster, k=round(len(roster) * rate))
        paper_minded = rng.random() < 0.3  # some UPTs collect most pacts at a briefing
        on_paper = [e for e in signers if e.user_id is None or (paper_minded and rng.random() < 0.5)]
        paper_ids = {e.pk for e in on_paper}
        on_line = [e for e in signers if e.pk not in paper_ids]
        head_user = scale.head_users[facility.pk]
        batches = []
        if on_paper:
            for n in range(1 if len(on_paper) < 40 else 2):
                day = first_day + dt.timedelta(days=rng.randint(0, max(0, (last_day - first_day).days)))
                batches.append(
                    PaperBatch(
                        campaign=campaign,
                        facility=facility,
                        signed_on=day,
                        place=f"Apel {'pagi' if n == 0 else 'siang'} netralitas ASN, {facility.name}",
                        scan=scan,
                        scan_sha256=scan_sha,
                        recorded_by=head_user,
                        created_at=scale.at(day, 15),
                    )
                )
            bulk(PaperBatch, batches)
        for index, employee in enumerate(on_paper):
            batch = batches[index % len(batches)]
            pending.append(
                _new_signature(
                    campaign,
                    employee,
                    method=Signature.Method.PAPER,
                    signed_at=scale.at(batch.signed_on, 0),
                    paper_batch=batch,
                    recorded_by=head_user,
                )
            )
        span = max(60, int((last - opens).total_seconds()))
        for employee in on_line:
            pending.append(
                _new_signature(
                    campaign,
                    employee,
                    method=Signature.Method.ONLINE,
                    # random() rather than randint(0, span): the span moves with the clock, and randint's
                    # draws with it, which would make the rest of the data set depend on the time of the run.
                    signed_at=opens + dt.timedelta(seconds=int(rng.random() * span)),
                    typed_name=employee.name,
                    ip_address=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    user_agent=rng.choice(USER_AGENTS),
                    recorded_by=scale.users_by_id[employee.user_id],
                )
            )
        online += len(on_line)
        paper += len(on_paper)
        if len(pending) >= BATCH:
            Signature.objects.bulk_create(pending, batch_size=BATCH)
            pending = []
    Signature.objects.bulk_create(pending, batch_size=BATCH)
    return online, paper


def build(scale: Scale) -> None:
    started = time.perf_counter()
    text = PactText.objects.filter(key=DEFAULT_KEY).order_by("-version").first()
    if text is None:
        text = PactText.objects.create(key=DEFAULT_KEY, version=1, **DEFAULT_TEXT)
    scan = default_storage.save(
        PaperBatch._meta.get_field("scan").generate_filename(None, "lembar-pakta.pdf"),
        _scan_pdf("Lembar pakta integritas (data skala)"),
    )
    # The stored stand-in and its recorded digest must agree.
    with default_storage.open(scan, "rb") as handle:
        sheet = handle.read()
    scan_sha = sha256_hex(sheet)

    periods = scale.extras["periods"]
    opens = scale.at(scale.today - dt.timedelta(days=21), 7)
    closes = scale.at(scale.today + dt.timedelta(days=30), 23, 59)
    campaign = _campaign(scale, text, periods[0], opens, closes)
    online, paper = _sign(scale, campaign, NATIONAL_SIGNED, scan, scan_sha)
    scale.extras["campaign"] = campaign
    scale.counts.update({"kampanye": 1, "tanda tangan": online + paper})
    scale.step(f"pakta: '{campaign.name}', {online + paper} tanda tangan ({online} daring, {paper} kertas)", started)

    for n in range(scale.past_campaigns):
        started = time.perf_counter()
        period = _past_period(scale, n)
        opens = scale.at(period.start_date + dt.timedelta(days=14), 7)
        closes = opens + dt.timedelta(days=45)
        past = _campaign(scale, text, period, opens, closes)
        # Only staff already in the service when the campaign opened could sign it.
        first_day = opens.date()
        online, paper = _sign(
            scale, past, PAST_SIGNED, scan, scan_sha, eligible=lambda e, day=first_day: scale.appointed_on[e.pk] < day
        )
        scale.counts["kampanye"] += 1
        scale.counts["tanda tangan"] += online + paper
        scale.step(f"pakta (lalu): '{past.name}', {online + paper} tanda tangan", started)
