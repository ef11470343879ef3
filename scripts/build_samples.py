"""Build the labelled sample corpus in ``sample_contracts/`` from ``scripts/sample_sources/``.

Each source is UTF-8 text with a tiny markup:

* a line starting with ``#`` followed by a space is a heading; the number of ``#`` is its level
  (the first level-1 heading is the contract title);
* a block of consecutive lines starting with ``|`` is a table, first row the header;
* everything else is a paragraph, one per line (blank lines are kept as spacing in TXT only).

The output format of every contract is chosen in ``CONTRACTS`` below.  Labels are written by hand in
``scripts/sample_sources/labels.json`` (keyed by source name) and copied to
``sample_contracts/labels.json`` keyed by the output file name.

Usage::

    python scripts/build_samples.py            # build everything, labels.json and docs/corpus.md tables
    python scripts/build_samples.py --stats    # print the coverage tables and check the coverage targets

The build is deterministic: fixed document metadata, reportlab ``invariant`` mode and fixed zip
timestamps for DOCX files.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from auditor.checks import CHECKS as CLIENT_CHECKS
from auditor.red_flags import FLAGS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample_sources"
OUT = ROOT / "sample_contracts"
DOC = ROOT / "docs" / "corpus.md"

CHECKS: tuple[str, ...] = tuple(c.id for c in CLIENT_CHECKS)  # the registry, in rubric order
STATUSES: tuple[str, ...] = ("pass", "weak", "missing")
RED_FLAGS: tuple[str, ...] = tuple(FLAGS)

Fmt = Literal["txt", "docx", "pdf"]


@dataclass(frozen=True)
class Contract:
    """One corpus entry: source name, output format and what it is for."""

    name: str
    fmt: Fmt
    service: str
    exercises: str
    encoding: str = "utf-8"

    @property
    def lang(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def out_name(self) -> str:
        return f"{self.name}.{self.fmt}"


# fmt: off
CONTRACTS: tuple[Contract, ...] = (
    Contract("zh_01_douyin_operation", "docx", "抖音账号代运营",
             "all seven checks pass; fee table; stage-based refund; account handover"),
    Contract("zh_02_douyin_package", "txt", "抖音代运营套餐",
             "若干/视情况; 24h deemed acceptance; 不承诺播放量; full prepayment; 最终解释权; "
             "account kept by provider"),
    Contract("zh_03_xiaohongshu_operation", "pdf", "小红书账号代运营",
             "定金 40%; arbitration-or-litigation; KPI numbers with no remedy"),
    Contract("zh_04_livestream_selling", "txt", "直播带货",
             "GMV target with refund; provider's home court only; client exit pays all remaining fees",
             encoding="gb18030"),
    Contract("zh_05_kol_promotion", "txt", "达人（KOL）推广",
             "one-off full prepayment; 48h deemed acceptance; penalties bind the client only; "
             "no forum, no exit"),
    Contract("zh_06_ad_agency", "docx", "信息流广告投流代理",
             "本合同不设违约金; force-majeure-only termination; provider may adjust scope; "
             "auto renewal; table"),
    Contract("zh_07_brand_design", "pdf", "品牌 VI 设计",
             "stage-based compensation (fair model); 15-working-day deemed acceptance (no flag)"),
    Contract("zh_08_miniprogram_dev", "docx", "微信小程序开发",
             "payment schedule in an annex table; liability cap ¥2,000; arbitration without a "
             "commission; blank project name"),
    Contract("zh_09_seo_service", "txt", "SEO 关键词优化",
             "heading with nothing behind it (违约责任：按法律规定); 70% up front; 最终解释权",
             encoding="utf-8-sig"),
    Contract("zh_10_content_writing", "txt", "公众号文案撰写",
             "negotiation-only dispute clause; no refund on exit; copyright not stated"),
    Contract("zh_11_douyin_template", "pdf", "抖音代运营（空白模板）",
             "每周发布＿＿条; 提交＿＿仲裁委员会; blank payment split; auto renewal; 3+ pages"),
    Contract("zh_12_shipinhao_operation", "txt", "视频号代运营",
             "scope and price in a 报价单 that is not in the document; 合同签订地 court"),
    Contract("zh_13_kuaishou_operation", "docx", "快手账号代运营",
             "违约金/验收/KPI only in the definitions section; account registered to the provider"),
    Contract("zh_14_livestream_host", "pdf", "直播间代播（主播服务）",
             "定金 30% plus 违约金 claimed together; arbitration-or-litigation; KPI with refund"),
    Contract("zh_15_annual_marketing", "docx", "年度整合营销",
             "KPI table with remedies; CIETAC; client's exit forfeits everything paid"),
    Contract("zh_16_promo_video", "txt", "企业宣传片拍摄",
             "3-day deemed acceptance; liabilities only for the client; no early exit"),
    Contract("zh_17_tw_social_media", "pdf", "社群代操作（繁體，台灣）",
             "Traditional Chinese; 臺灣臺北地方法院; auto renewal; KPI without remedy"),
    Contract("zh_18_hk_kol_campaign", "txt", "KOL 推廣（繁體，香港）",
             "Traditional Chinese; 效果免責; 一次過全數付款; arbitration without an institution; 最終解釋權"),
    Contract("zh_19_livestream_supplement", "txt", "直播带货补充协议",
             "supplementary agreement: no scope in the document; GMV guarantee with refund"),
    Contract("zh_20_service_fee_receipt", "txt", "服务费确认书（口头约定服务）",
             "no scope at all; one-off payment; 向有管辖权的人民法院起诉; 效果不作承诺"),
    Contract("zh_21_operation_intent", "txt", "新媒体合作意向书（代运营洽谈前期）",
             "scope left to a future contract; 定金 30%; deposit forfeiture binds the client only"),
    Contract("en_01_social_media", "pdf", "Social media management",
             "all seven checks pass; 3+ pages; monthly fee in arrears; client-side court"),
    Contract("en_02_marketing_agency", "docx", "Marketing agency retainer",
             "'no guarantee of any results'; 60% up front; agency home court; auto renewal; "
             "agency may change scope"),
    Contract("en_03_influencer", "txt", "Influencer agreement",
             "48-hour deemed approval; impressions target with no remedy; no forum"),
    Contract("en_04_software_sow", "docx", "Software development SOW",
             "milestone payment table; stage-based termination fee; named arbitration"),
    Contract("en_05_advisory_retainer", "txt", "Advisory retainer letter",
             "no services described; annual retainer paid in full up front; arbitration with no institution"),
    Contract("en_06_design_retainer", "pdf", "Design retainer",
             "liability cap of one month's fee; client exit forfeits everything; auto renewal"),
    Contract("en_07_saas_implementation", "txt", "SaaS implementation",
             "scope and fees 'per the SOW / Order Form' not attached; blank in notices"),
    Contract("en_08_seo_content", "docx", "SEO and content marketing",
             "traffic KPI with service credits; arbitration-or-litigation"),
    Contract("en_09_paid_ads", "pdf", "Paid ads (PPC) management",
             "30% deposit; heading-only liability; final interpretation; blank management fee %"),
    Contract("en_10_tiktok_creator", "txt", "TikTok creator product seeding",
             "client pays no fee (product only); creator keeps content; penalties bind the brand only"),
)
# fmt: on

FIXED_DATE = datetime(2024, 1, 1, 0, 0, 0)
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- parsing


@dataclass
class Block:
    """A heading, a paragraph, a blank line or a table."""

    kind: Literal["heading", "para", "blank", "table"]
    text: str = ""
    level: int = 0
    rows: list[list[str]] | None = None


def parse(source: str) -> list[Block]:
    blocks: list[Block] = []
    table: list[list[str]] = []
    for raw in source.splitlines():
        line = raw.rstrip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            table.append(cells)
            continue
        if table:
            blocks.append(Block("table", rows=table))
            table = []
        if line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            if line[hashes : hashes + 1] == " ":
                blocks.append(Block("heading", text=line[hashes + 1 :].strip(), level=hashes))
                continue
        if not line.strip():
            blocks.append(Block("blank"))
        else:
            blocks.append(Block("para", text=line))
    if table:
        blocks.append(Block("table", rows=table))
    return blocks


def title_of(blocks: list[Block]) -> str:
    for b in blocks:
        if b.kind == "heading":
            return b.text
    raise ValueError("source has no heading to use as title")


# ---------------------------------------------------------------- writers


def write_txt(blocks: list[Block], path: Path, encoding: str) -> None:
    lines: list[str] = []
    for b in blocks:
        if b.kind in ("heading", "para"):
            lines.append(b.text)
        elif b.kind == "blank":
            lines.append("")
        elif b.rows is not None:
            lines.extend("  ".join(row) for row in b.rows)
    text = "\n".join(lines).strip("\n") + "\n"
    path.write_bytes(text.encode(encoding))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and a sorted member order, for a reproducible DOCX."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        ordered = ["[Content_Types].xml"] + sorted(n for n in names if n != "[Content_Types].xml")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def write_docx(blocks: list[Block], path: Path, lang: str) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    title = title_of(blocks)
    latin, east_asian = ("Times New Roman", "SimSun") if lang == "zh" else ("Calibri", "SimSun")
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = latin
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), east_asian)
    document.styles["Normal"].font.size = Pt(10.5)

    section = document.sections[0]
    header_par = section.header.paragraphs[0]
    header_par.text = title
    header_par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer_par = section.footer.paragraphs[0]
    footer_par.text = title
    footer_par.alignment = WD_ALIGN_PARAGRAPH.CENTER

    first_heading = True
    for b in blocks:
        if b.kind == "heading":
            if first_heading:
                document.add_heading(b.text, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
                first_heading = False
            else:
                document.add_heading(b.text, level=min(b.level, 3))
        elif b.kind == "para":
            document.add_paragraph(b.text)
        elif b.kind == "table" and b.rows:
            ncols = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=ncols)
            table.style = document.styles["Table Grid"]
            for i, row in enumerate(b.rows):
                for j in range(ncols):
                    cell = table.cell(i, j)
                    cell.text = row[j] if j < len(row) else ""
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True

    props = document.core_properties
    props.title = title
    props.author = "Contract Auditor sample corpus"
    props.last_modified_by = "Contract Auditor sample corpus"
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""

    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def write_pdf(blocks: list[Block], path: Path, lang: str) -> None:
    from reportlab import rl_config

    rl_config.invariant = 1
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    if lang == "zh":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        font = bold = "STSong-Light"
        wrap = "CJK"
    else:
        font, bold = "Helvetica", "Helvetica-Bold"
        wrap = None

    def style(name: str, size: float, fnt: str, leading: float, **kw: object) -> ParagraphStyle:
        st = ParagraphStyle(name, fontName=fnt, fontSize=size, leading=leading, **kw)  # type: ignore[arg-type]
        if wrap:
            st.wordWrap = wrap
        return st

    body = style("body", 10.5, font, 16, spaceAfter=3)
    cell = style("cell", 9.5, font, 13)
    head_styles = {
        0: style("title", 16, bold, 22, alignment=TA_CENTER, spaceAfter=10),
        1: style("h1", 13, bold, 19, spaceBefore=8, spaceAfter=4),
        2: style("h2", 11.5, bold, 17, spaceBefore=6, spaceAfter=3),
        3: style("h3", 10.5, bold, 16, spaceBefore=4, spaceAfter=2),
    }

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    title = title_of(blocks)
    story: list[Flowable] = []
    first = True
    for b in blocks:
        if b.kind == "heading":
            level = 0 if first else min(b.level, 3)
            first = False
            story.append(Paragraph(esc(b.text), head_styles[level]))
        elif b.kind == "para":
            story.append(Paragraph(esc(b.text), body))
        elif b.kind == "blank":
            story.append(Spacer(1, 4))
        elif b.kind == "table" and b.rows:
            ncols = max(len(r) for r in b.rows)
            data = [[Paragraph(esc(r[j]) if j < len(r) else "", cell) for j in range(ncols)] for r in b.rows]
            tbl = Table(data, repeatRows=1, hAlign="LEFT", colWidths=[170 * mm / ncols] * ncols)
            tbl.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(Spacer(1, 4))
            story.append(tbl)
            story.append(Spacer(1, 6))

    def on_page(canvas: object, doc: object) -> None:
        c = canvas  # reportlab canvas
        page = c.getPageNumber()  # type: ignore[attr-defined]
        c.saveState()  # type: ignore[attr-defined]
        c.setFont(font, 8.5)  # type: ignore[attr-defined]
        c.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, title)  # type: ignore[attr-defined]
        c.line(20 * mm, A4[1] - 14 * mm, A4[0] - 20 * mm, A4[1] - 14 * mm)  # type: ignore[attr-defined]
        footer = f"第 {page} 页" if lang == "zh" else f"Page {page}"
        c.drawCentredString(A4[0] / 2, 10 * mm, footer)  # type: ignore[attr-defined]
        c.restoreState()  # type: ignore[attr-defined]

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="Contract Auditor sample corpus",
        creator="Contract Auditor sample corpus",
        producer="reportlab",
        subject="",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- labels and stats


def available() -> tuple[Contract, ...]:
    """The contracts whose source exists (all of them once the corpus is complete)."""
    return tuple(c for c in CONTRACTS if (SOURCES / f"{c.name}.txt").exists())


def load_labels() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((SOURCES / "labels.json").read_text(encoding="utf-8"))
    return data


def validate_labels(labels: dict[str, dict[str, object]]) -> list[str]:
    problems: list[str] = []
    names = {c.name for c in available()}
    for name in sorted(names - labels.keys()):
        problems.append(f"{name}: no label")
    for name in sorted(labels.keys() - names):
        problems.append(f"{name}: label for an unknown contract")
    for name, lab in labels.items():
        checks = lab.get("checks", {})
        why = lab.get("why", {})
        flags = lab.get("red_flags", [])
        assert isinstance(checks, dict) and isinstance(why, dict) and isinstance(flags, list)
        if set(checks) != set(CHECKS):
            problems.append(f"{name}: checks {sorted(checks)}")
        if set(why) != set(CHECKS):
            problems.append(f"{name}: why {sorted(why)}")
        for c, s in checks.items():
            if s not in STATUSES:
                problems.append(f"{name}: {c}={s}")
        for f in flags:
            if f not in RED_FLAGS:
                problems.append(f"{name}: unknown flag {f}")
    return problems


def coverage(labels: dict[str, dict[str, object]]) -> tuple[dict[str, dict[str, Counter[str]]], Counter[str]]:
    """Per check: language -> Counter of statuses; and the red-flag counts over the whole corpus."""
    per_check: dict[str, dict[str, Counter[str]]] = {c: {"zh": Counter(), "en": Counter()} for c in CHECKS}
    flags: Counter[str] = Counter()
    for c in available():
        lab = labels[c.name]
        checks = lab["checks"]
        assert isinstance(checks, dict)
        for check, status in checks.items():
            per_check[check][c.lang][status] += 1
        red = lab["red_flags"]
        assert isinstance(red, list)
        flags.update(red)
    return per_check, flags


def stats_markdown(labels: dict[str, dict[str, object]]) -> str:
    per_check, flags = coverage(labels)
    present = available()
    fmt_counts = Counter(c.fmt for c in present)
    langs = Counter(c.lang for c in present)
    out = [
        f"{len(present)} contracts: {langs['zh']} Chinese, {langs['en']} English; "
        f"{fmt_counts['txt']} TXT, {fmt_counts['docx']} DOCX, {fmt_counts['pdf']} PDF.",
        "",
        "| check | zh pass | zh weak | zh missing | en pass | en weak | en missing |",
        "|---|---|---|---|---|---|---|",
    ]
    for check in CHECKS:
        zh, en = per_check[check]["zh"], per_check[check]["en"]
        cells = [str(zh[s]) for s in STATUSES] + [str(en[s]) for s in STATUSES]
        out.append(f"| `{check}` | " + " | ".join(cells) + " |")
    out += ["", "| red flag | contracts |", "|---|---|"]
    for flag in RED_FLAGS:
        out.append(f"| `{flag}` | {flags[flag]} |")
    return "\n".join(out) + "\n"


def contracts_markdown(labels: dict[str, dict[str, object]]) -> str:
    out = [
        "| file | lang | format | service | meant to exercise | checks (S Q K P B D T) | red flags |",
        "|---|---|---|---|---|---|---|",
    ]
    abbrev = {"pass": "p", "weak": "w", "missing": "m"}
    for c in available():
        lab = labels[c.name]
        checks = lab["checks"]
        red = lab["red_flags"]
        assert isinstance(checks, dict) and isinstance(red, list)
        statuses = " ".join(abbrev[checks[k]] for k in CHECKS)
        fmt = c.fmt.upper() + ("" if c.encoding == "utf-8" else f" ({c.encoding})")
        lang = "zh-Hant" if "繁體" in c.service else c.lang
        flags = ", ".join(red) if red else "none"
        out.append(f"| `{c.out_name}` | {lang} | {fmt} | {c.service} | {c.exercises} | {statuses} | {flags} |")
    return "\n".join(out) + "\n"


def coverage_problems(labels: dict[str, dict[str, object]]) -> list[str]:
    per_check, flags = coverage(labels)
    problems: list[str] = []
    for check in CHECKS:
        for status in STATUSES:
            if per_check[check]["zh"][status] < 3:
                problems.append(f"{check}={status}: {per_check[check]['zh'][status]} zh (< 3)")
            if per_check[check]["en"][status] < 1:
                problems.append(f"{check}={status}: no en")
    for flag in RED_FLAGS:
        if flags[flag] < 2:
            problems.append(f"{flag}: {flags[flag]} (< 2)")
    return problems


def replace_between(text: str, marker: str, body: str) -> str:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    return f"{head}{start}\n{body}{end}{tail}"


# ---------------------------------------------------------------- main


def build(labels: dict[str, dict[str, object]]) -> None:
    OUT.mkdir(exist_ok=True)
    for c in available():
        blocks = parse((SOURCES / f"{c.name}.txt").read_text(encoding="utf-8"))
        target = OUT / c.out_name
        if c.fmt == "txt":
            write_txt(blocks, target, c.encoding)
        elif c.fmt == "docx":
            write_docx(blocks, target, c.lang)
        else:
            write_pdf(blocks, target, c.lang)
    out_labels = {"files": {c.out_name: {"lang": c.lang, **labels[c.name]} for c in available()}}
    (OUT / "labels.json").write_text(json.dumps(out_labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        text = replace_between(text, "contracts", contracts_markdown(labels))
        text = replace_between(text, "coverage", stats_markdown(labels))
        DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stats", action="store_true", help="print coverage tables and check the targets")
    args = parser.parse_args(argv)
    labels = load_labels()
    problems = validate_labels(labels)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.stats:
        print(stats_markdown(labels))
        gaps = coverage_problems(labels)
        for gap in gaps:
            print(f"coverage gap: {gap}", file=sys.stderr)
        return 1 if gaps else 0
    build(labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
