"""A partner's QR poster (海报): what it says, where its QR code comes from, and when that expires.

A poster's QR is either generated from a payload the leader gives (a URL or text, such as a WeCom
contact link) or the leader's own QR image (a WeChat group QR), placed as is. WeChat group QR
codes stop working 7 days after they are made, so the app records when the QR was added and warns
once a poster's group QR is older than that. Posters are append-only: saving makes a new row and
the newest row is the partner's current poster, so the history of what hung at each desk stays.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError, Message
from tuan.i18n import N_, _
from tuan.models import Partner, Poster

if TYPE_CHECKING:
    from tuan.db import Database

QR_LIFETIME = timedelta(days=7)
GROUP_LINK_PREFIXES = ("https://weixin.qq.com/g/", "http://weixin.qq.com/g/")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")
MAX_PAYLOAD = 300
LIMITS = {"headline": 40, "offer": 60, "brand": 20}
DEFAULT_HEADLINE = "扫码入群，领取新人福利"  # i18n-keep: poster text, printed for neighbours


class PosterError(DomainError, ValueError):
    """A poster cannot be saved or made; `field` names the form field at fault, if any."""

    code = "poster.refused"


class PartnerNotFound(DomainError, LookupError):
    """No partner has that id."""

    code = "partner.not_found"


def qr_expires(qr_payload: str, qr_image_path: str) -> bool:
    """True for a WeChat group QR (an image, or a `weixin.qq.com/g/` link): it lasts 7 days."""
    return bool(qr_image_path) or qr_payload.strip().startswith(GROUP_LINK_PREFIXES)


def qr_status(
    qr_payload: str, qr_image_path: str, added: datetime | None, now: datetime | None = None
) -> tuple[str, bool]:
    """A short label for the QR's state and whether it needs the leader's attention.

    `长期有效` for a link that does not expire, `剩 3 天` or `已过期 2 天` for a group QR,
    `未设置` when the poster has no QR yet.
    """
    if not qr_payload.strip() and not qr_image_path:
        return _("未设置"), True
    if not qr_expires(qr_payload, qr_image_path) or added is None:
        return _("长期有效"), False
    left = added + QR_LIFETIME - (now or clock.now())
    if left <= timedelta(0):
        return _("已过期 {n} 天").format(n=max(1, (-left).days)), True
    days = left.days + (1 if left.seconds else 0)
    return _("剩 {n} 天").format(n=days), days <= 1


@dataclass(frozen=True)
class PosterSpec:
    """Everything printed on one partner's poster."""

    partner_id: int
    partner_name: str
    code: str
    headline: str
    offer: str = ""
    brand: str = ""
    qr_payload: str = ""
    qr_image_path: str = ""
    qr_added_at: datetime | None = None
    created_at: datetime | None = None  # None: never saved, defaults shown
    poster_id: int | None = None

    @property
    def has_qr(self) -> bool:
        """True when there is something to put in the QR square."""
        return bool(self.qr_image_path or self.qr_payload.strip())

    def status(self, now: datetime | None = None) -> tuple[str, bool]:
        """The QR's state label and whether it needs attention (see `qr_status`)."""
        return qr_status(self.qr_payload, self.qr_image_path, self.qr_added_at, now)

    def expiry_message(self, now: datetime | None = None) -> str | None:
        """The warning for an expired (or nearly expired) group QR, else None."""
        if not qr_expires(self.qr_payload, self.qr_image_path) or self.qr_added_at is None:
            return None
        now = now or clock.now()
        age = (now - self.qr_added_at).days
        if self.qr_added_at + QR_LIFETIME <= now:
            return _(
                "「{partner}」海报上的微信群二维码是 {days} 天前添加的，已经过期"
                "（群二维码 7 天后失效），扫码的人进不了群：请换一张新的群二维码"
            ).format(partner=self.partner_name, days=age)
        label, urgent = self.status(now)
        if urgent:
            return _("「{partner}」海报上的微信群二维码即将过期（{left}），请尽快换新码").format(
                partner=self.partner_name, left=label
            )
        return None


def _partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise PartnerNotFound(N_("找不到合作点位 {id}"), id=partner_id)
    return partner


def current_poster(session: Session, partner_id: int) -> Poster | None:
    """The partner's newest poster, or None."""
    stmt = (
        select(Poster)
        .where(col(Poster.partner_id) == partner_id)
        .order_by(col(Poster.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def _house_style(session: Session) -> tuple[str, str, str]:
    """Headline, offer and brand of the newest poster of any partner (a new poster's defaults)."""
    newest = session.exec(select(Poster).order_by(col(Poster.id).desc()).limit(1)).first()
    if newest is None:
        return DEFAULT_HEADLINE, "", ""
    return newest.headline, newest.offer, newest.brand


def poster_spec(session: Session, partner_id: int) -> PosterSpec:
    """The partner's current poster, or defaults taken from the other posters.

    Raises:
        PartnerNotFound: no partner has this id.
    """
    partner = _partner(session, partner_id)
    poster = current_poster(session, partner_id)
    base = PosterSpec(partner_id, partner.name, partner.code, headline="")
    if poster is None:
        headline, offer, brand = _house_style(session)
        return replace(base, headline=headline, offer=offer, brand=brand)
    return replace(
        base,
        headline=poster.headline,
        offer=poster.offer,
        brand=poster.brand,
        qr_payload=poster.qr_payload,
        qr_image_path=poster.qr_image_path,
        qr_added_at=poster.qr_added_at,
        created_at=poster.created_at,
        poster_id=poster.id,
    )


@dataclass(frozen=True)
class PosterDraft:
    """What the leader typed in the poster form. An image path wins over a payload."""

    headline: str
    offer: str = ""
    brand: str = ""
    qr_payload: str = ""
    qr_image: str = ""  # a file path


def check_draft(draft: PosterDraft) -> None:
    """Refuse a draft that would make a poster nobody can use.

    Raises:
        PosterError: with the field at fault and what to do.
    """
    texts = {"headline": draft.headline, "offer": draft.offer, "brand": draft.brand}
    names = {"headline": N_("标题"), "offer": N_("优惠说明"), "brand": N_("品牌")}
    if not draft.headline.strip():
        message = N_("标题不能为空，例如：扫码入群，免费领取《7天健康食谱》")
        raise PosterError(message, "headline", code="headline.empty")
    for field, text in texts.items():
        if len(text.strip()) > LIMITS[field]:
            message = N_("{name}太长（{n} 字），最多 {limit} 字，海报上放不下")
            raise PosterError(
                message,
                field,
                code=f"{field}.too_long",
                name=Message(names[field]),
                n=len(text.strip()),
                limit=LIMITS[field],
            )
    if draft.qr_image.strip():
        return
    payload = draft.qr_payload.strip()
    if not payload:
        message = N_(
            "请填写二维码内容（网址或文字，例如企业微信联系我链接），或填写群二维码图片路径"
        )
        raise PosterError(message, "qr_payload", code="qr.empty")
    if payload.lower().endswith(IMAGE_SUFFIXES) and "://" not in payload:
        message = N_("{payload} 看起来是图片文件：群二维码图片请填在「群二维码图片」一栏")
        raise PosterError(message, "qr_payload", code="qr.is_image", payload=payload)
    if len(payload) > MAX_PAYLOAD:
        message = N_("二维码内容太长（{n} 字）：码会很密、难扫。请用不超过 {limit} 字的短链接")
        raise PosterError(
            message, "qr_payload", code="qr.too_long", n=len(payload), limit=MAX_PAYLOAD
        )


def qr_image_dir(database: Database) -> Path:
    """Where copies of leaders' QR images live: a `posters` folder beside the database file."""
    if database.path is not None:
        return database.path.expanduser().resolve().parent / "posters"
    from platformdirs import user_data_path

    return user_data_path("tuan", appauthor=False) / "posters"


def store_qr_image(source: str | Path, folder: Path, code: str) -> Path:
    """Check that `source` is a readable image and keep a copy of it in `folder`.

    The copy (named by content) means the poster still prints after the leader tidies their
    Downloads folder. Raises PosterError when the file is missing or not an image.
    """
    path = Path(source).expanduser()
    if not path.is_file():
        message = N_("找不到图片文件：{path}，请检查路径")
        raise PosterError(message, "qr_image", code="image.not_found", path=path)
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.verify()
    except Exception as error:
        message = N_("这个文件不是图片，或已损坏：{path}（支持 PNG、JPG）")
        raise PosterError(message, "qr_image", code="image.unreadable", path=path) from error
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    suffix = path.suffix.lower() if path.suffix.lower() in IMAGE_SUFFIXES else ".png"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"qr-{code}-{digest}{suffix}"
    if not target.exists():
        shutil.copyfile(path, target)
    return target


def _qr_source(
    draft: PosterDraft, previous: Poster | None, image_dir: Path | None, code: str
) -> tuple[str, str]:
    """(payload, stored image path) for the new poster; an image wins over a payload."""
    if not draft.qr_image.strip():
        return draft.qr_payload.strip(), ""
    image_path = Path(draft.qr_image.strip()).expanduser()
    if previous is not None and previous.qr_image_path == str(image_path):
        return "", previous.qr_image_path  # the copy already kept
    if image_dir is None:
        raise PosterError(N_("没有存放二维码图片的文件夹"), "qr_image", code="image.no_folder")
    return "", str(store_qr_image(image_path, image_dir, code))


def save_poster(
    session: Session, partner_id: int, draft: PosterDraft, image_dir: Path | None = None
) -> Poster:
    """Make the partner's new current poster (not committed).

    The QR's added time carries over when the QR is unchanged, so editing the headline does not
    hide that a group QR has gone stale.

    Raises:
        PartnerNotFound: no partner has this id.
        PosterError: the draft is refused; the message names the field and the fix.
    """
    partner = _partner(session, partner_id)
    check_draft(draft)
    previous = current_poster(session, partner_id)
    payload, image = _qr_source(draft, previous, image_dir, partner.code)
    same_qr = previous is not None and (previous.qr_payload, previous.qr_image_path) == (
        payload,
        image,
    )
    now = clock.now()
    poster = Poster(
        partner_id=partner_id,
        headline=draft.headline.strip(),
        offer=draft.offer.strip(),
        brand=draft.brand.strip(),
        qr_payload=payload,
        qr_image_path=image,
        qr_added_at=(previous.qr_added_at if same_qr and previous else None) or now,
        created_at=now,
    )
    session.add(poster)
    session.flush()
    return poster
