"""Generate the real files that tests/test_load.py loads (tests/fixtures/files/).

The texts are written here so every format carries the same contract; the tests compare what the
loader reads from a PDF or DOCX with these paragraphs. Run from the repository root:

    .venv/bin/python scripts/make_fixture_files.py
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import gmtime

import opencc
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A5, A6
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "files"

ZH_TITLE = "某某代运营服务合同"
ZH_HEADER = "某某代运营服务合同（页眉）"
ZH_FOOTER = "页脚：本合同仅供双方内部审阅"
ZH_APPENDIX = ("附件一 服务内容及标准", "详见另附清单。")
ZH_PAGE_BREAK_CLAUSE = "6.2"  # the clause the PDF layout places across a page break

# (kind, text): "title", "heading" (a clause heading), "paragraph", "table" (cells joined by " | ").
ZH_CONTRACT: tuple[tuple[str, str], ...] = (
    ("title", ZH_TITLE),
    ("paragraph", "合同编号：DY-2024-0815"),
    ("paragraph", "甲方（委托方）：上海某某商贸有限公司"),
    ("paragraph", "乙方（服务方）：杭州某某网络科技有限公司"),
    (
        "paragraph",
        "甲乙双方本着平等自愿、诚实信用的原则，经友好协商，就甲方委托乙方提供天猫店铺代运营服务事宜，"
        "达成如下协议，以资共同遵守。",
    ),
    ("heading", "第一条 服务内容"),
    (
        "paragraph",
        "1.1 乙方为甲方在天猫平台开设的“某某旗舰店”提供代运营服务，包括店铺装修、商品上架、日常客服、"
        "营销活动策划与执行、数据分析及月度运营报告等。",
    ),
    (
        "paragraph",
        "1.2 具体服务项目、服务标准及人员配置详见本合同附件一《服务内容及标准》，附件与本合同具有同等法律效力。",
    ),
    ("heading", "第二条 服务期限"),
    ("paragraph", "2.1 本合同服务期限自2024年9月1日起至2025年8月31日止，共计十二个月。"),
    (
        "paragraph",
        "2.2 合同期满前三十日内，双方可协商续签事宜；未续签的，本合同于期满之日自动终止。",
    ),
    ("heading", "第三条 服务费用及支付方式"),
    (
        "paragraph",
        "3.1 本合同服务费由基础服务费和销售提成两部分组成。基础服务费为每月人民币贰万元整（¥20,000.00），"
        "销售提成按店铺当月实际成交金额（扣除退款）的百分之三计算。",
    ),
    (
        "paragraph",
        "3.2 甲方应按下表分期支付年度基础服务费，乙方应在每期收款前开具等额增值税专用发票。",
    ),
    ("table", "期数 | 比例 | 付款条件"),
    ("table", "第一期 | 30% | 合同签订后五个工作日内"),
    ("table", "第二期 | 40% | 服务满六个月且甲方验收合格后"),
    ("table", "第三期 | 30% | 服务期满且双方结算完毕后"),
    ("table", "合计 | 100%"),
    ("heading", "第四条 双方权利义务"),
    (
        "paragraph",
        "4.1 甲方应向乙方提供店铺后台账号、品牌授权文件及商品资料，并保证所提供资料真实、合法、有效。",
    ),
    (
        "paragraph",
        "4.2 乙方应按照本合同约定的服务标准，组建不少于五人的专职运营团队，其中客服人员每日在线时间不少于"
        "十二小时，客服平均响应时间不超过三十秒；团队核心成员如需更换，乙方应提前十五日书面通知甲方。",
    ),
    (
        "paragraph",
        "4.3 乙方每月五日前向甲方提交上月运营报告，内容应包括流量、转化率、客单价、推广费用使用情况及下月运营计划。",
    ),
    ("heading", "第五条 考核指标"),
    (
        "paragraph",
        "5.1 乙方承诺服务期内店铺月均销售额不低于人民币一百五十万元，且店铺动态评分各项不低于4.8分。",
    ),
    (
        "paragraph",
        "5.2 连续两个月未达到前款指标的，甲方有权按当月基础服务费的百分之二十扣减服务费。",
    ),
    ("heading", "第六条 知识产权与保密"),
    (
        "paragraph",
        "6.1 乙方在服务过程中为甲方制作的图片、文案、视频等作品，其著作权归甲方所有。",
    ),
    (
        "paragraph",
        "6.2 双方对在合作过程中知悉的对方商业秘密、客户信息及经营数据负有保密义务，未经对方书面同意不得向"
        "任何第三方披露；保密期限自本合同签订之日起至相关信息依法公开之日止，不因本合同的终止而失效。",
    ),
    ("heading", "第七条 违约责任"),
    (
        "paragraph",
        "7.1 任何一方违反本合同约定的，应向守约方支付违约金，违约金为本合同年度服务费总额的百分之十；"
        "违约金不足以弥补损失的，违约方还应赔偿守约方由此遭受的全部损失。",
    ),
    (
        "paragraph",
        "7.2 甲方逾期付款的，每逾期一日，应按逾期金额的万分之五向乙方支付滞纳金。",
    ),
    ("heading", "第八条 合同解除"),
    ("paragraph", "8.1 乙方连续三个月未完成考核指标的，甲方有权书面通知乙方解除本合同。"),
    (
        "paragraph",
        "8.2 任何一方提前解除合同的，应提前三十日书面通知对方，并结清已发生的服务费用。",
    ),
    ("heading", "第九条 争议解决"),
    (
        "paragraph",
        "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地"
        "有管辖权的人民法院提起诉讼。",
    ),
    ("heading", "第十条 其他"),
    (
        "paragraph",
        "10.1 本合同一式两份，甲乙双方各执一份，自双方签字盖章之日起生效。",
    ),
    (
        "paragraph",
        "10.2 本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。",
    ),
    ("paragraph", "甲方（盖章）：上海某某商贸有限公司"),
    ("paragraph", "乙方（盖章）：杭州某某网络科技有限公司"),
)

EN_TITLE = "Social Media Management Services Agreement"
EN_HEADER = "CONFIDENTIAL DRAFT - Services Agreement"
EN_FOOTER = "Footer: internal review only"
EN_APPENDIX = ("Schedule A", "See the separate schedule.")
EN_PAGE_BREAK_CLAUSE = "5.1"

EN_CONTRACT: tuple[tuple[str, str], ...] = (
    ("title", EN_TITLE),
    (
        "paragraph",
        "This Agreement is made between Northwind Trading Ltd. (the Client) and Brightline Digital Ltd. "
        "(the Provider) for the management of the Client's online stores and social media accounts.",
    ),
    ("heading", "Article 1 Services"),
    (
        "paragraph",
        "1.1 The Provider shall design and maintain the store pages, publish product listings, answer "
        "customer enquiries and plan promotional campaigns, as described in Schedule A.",
    ),
    (
        "paragraph",
        "1.2 The Provider shall deliver a monthly performance report, including traffic, conversion "
        "rate, advertising spend and the plan for the following month, within five business days of "
        "each month end.",
    ),
    ("heading", "Article 2 Term"),
    (
        "paragraph",
        "2.1 This Agreement begins on 1 September 2024 and ends on 31 August 2025 unless terminated earlier "
        "under Article 6.",
    ),
    ("heading", "Article 3 Fees and Payment"),
    (
        "paragraph",
        "3.1 The Client shall pay a fixed fee of USD 3,000 per month plus a commission of three percent "
        "of net sales, payable within fifteen days of receiving a valid invoice.",
    ),
    ("table", "Instalment | Share | Condition"),
    ("table", "First | 30% | On signature"),
    ("table", "Second | 70% | On acceptance of the services"),
    ("table", "Total | 100%"),
    ("heading", "Article 4 Service Levels"),
    (
        "paragraph",
        "4.1 Customer enquiries shall be answered within thirty seconds during business hours, and the store "
        "rating shall remain at or above 4.8 throughout the term; repeated failure entitles the Client to a "
        "service credit of twenty percent of the monthly fee.",
    ),
    ("heading", "Article 5 Confidentiality and Intellectual Property"),
    (
        "paragraph",
        "5.1 Each party shall keep confidential all non-public information received from the other party, "
        "use it only for performing this Agreement and disclose it to no third party without prior written "
        "consent; this obligation survives termination and continues until the information lawfully becomes "
        "public, notwithstanding any contrary understanding between the parties.",
    ),
    (
        "paragraph",
        "5.2 All images, copy and videos produced by the Provider for the Client belong to the Client upon "
        "payment of the corresponding fees.",
    ),
    ("heading", "Article 6 Termination and Liability"),
    (
        "paragraph",
        "6.1 Either party may terminate this Agreement by thirty days' written notice. A party in breach "
        "shall pay liquidated damages of ten percent of the annual fees, without prejudice to "
        "indemnification of further losses.",
    ),
    (
        "paragraph",
        "6.2 This Agreement is governed by the laws of England and Wales, and the parties submit to the "
        "exclusive jurisdiction of the courts of London.",
    ),
)


# --- text files -------------------------------------------------------------------------------


def contract_lines(contract: Sequence[tuple[str, str]]) -> list[str]:
    """The contract as plain text lines, one per paragraph, heading or table row."""
    return [text for _, text in contract]


def write_text_files() -> None:
    """The same contract in every encoding the loader must detect."""
    text = "\n".join(contract_lines(ZH_CONTRACT)) + "\n"
    (OUT / "contract_zh.txt").write_bytes(text.encode("utf-8"))
    (OUT / "contract_zh_gb18030.txt").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    (OUT / "contract_zh_utf16.txt").write_bytes(text.encode("utf-16"))  # BOM + native (LE) order
    (OUT / "contract_zh_bom.txt").write_bytes(text.encode("utf-8-sig"))
    traditional = opencc.OpenCC("s2tw").convert(text)
    (OUT / "contract_zh_traditional.txt").write_bytes(traditional.encode("utf-8"))
    (OUT / "empty.txt").write_bytes(b"")


# --- DOCX -------------------------------------------------------------------------------------


def write_docx(
    path: Path,
    contract: Sequence[tuple[str, str]],
    header: str,
    footer: str,
    appendix: tuple[str, str],
    *,
    auto_number: bool = False,
) -> None:
    """A Word file with Title/Heading styles, a real table, and a header and footer to be ignored.

    The `appendix` heading uses a style named "标题 2", as Chinese Word and WPS files do. With
    `auto_number`, "第一条" and "1.1" are not typed but produced by Word list numbering, which the loader
    must reproduce. A short table row gets its last cell merged across the remaining columns.
    """
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    chinese_heading = doc.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    chinese_heading.base_style = doc.styles["Normal"]
    num_id = add_clause_numbering(doc) if auto_number else None
    rows: list[list[str]] = []
    for i, (kind, text) in enumerate(contract):
        if kind == "table":
            rows.append(text.split(" | "))
            if i + 1 < len(contract) and contract[i + 1][0] == "table":
                continue
            write_table(doc, rows)
            rows = []
        elif kind == "title":
            doc.add_paragraph(text, style="Title")
            doc.add_paragraph("")  # an empty paragraph the loader must skip
        elif kind == "heading" and num_id:
            heading = doc.add_heading(re.sub(r"^第.+?条 ", "", text), level=1)
            set_numbering(heading, num_id, 0)
        elif kind == "heading":
            doc.add_heading(text, level=1)
        elif num_id and re.match(r"\d+\.\d+ ", text):
            set_numbering(doc.add_paragraph(text.split(" ", 1)[1]), num_id, 1)
        else:
            doc.add_paragraph(text)
    doc.add_paragraph(appendix[0], style=chinese_heading)
    doc.add_paragraph(appendix[1])
    doc.save(str(path))


def write_table(doc: DocxDocument, rows: list[list[str]]) -> None:
    """A bordered Word table; a row shorter than the first has its last cell merged to the right edge."""
    columns = len(rows[0])
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    for row, cells in zip(table.rows, rows, strict=True):
        if len(cells) < columns:
            row.cells[len(cells) - 1].merge(row.cells[columns - 1])
        for col, cell_text in enumerate(cells):
            row.cells[col].text = cell_text


def add_clause_numbering(doc: DocxDocument) -> str:
    """A Chinese contract list: "第一条" at level 0, legal-style "1.1" at level 1, then a space."""
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:suff w:val="space"/><w:lvlText w:val="第%1条"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:isLgl/><w:suff w:val="space"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.findall(qn("w:abstractNum"))[-1].addnext(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def set_numbering(paragraph: Paragraph, num_id: str, level: int) -> None:
    """Attach a paragraph to a Word list at `level`."""
    p_pr = paragraph.paragraph_format.element.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


# --- PDF --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfStyle:
    """Fonts and page furniture for one generated PDF."""

    font: str
    size: float
    title_size: float
    header: str
    footer: Callable[[int, int], str]
    wrap: Callable[[str, str, float, float], list[str]]
    break_clause: str


NO_LINE_START = "，。、；：！？）》”’"


def wrap_cjk(text: str, font: str, size: float, width: float) -> list[str]:
    """Break Chinese text at any character, hanging closing punctuation in the margin as Word does."""
    lines, line = [], ""
    for ch in text:
        if line and ch not in NO_LINE_START and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Break English text at spaces, hyphenating long lowercase words that do not fit, as Word can."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if len(word) >= 9 and word.isalpha() and word.islower():
            cut = len(word) - 4
            while cut >= 4 and pdfmetrics.stringWidth(f"{line} {word[:cut]}-", font, size) > width:
                cut -= 1
            if cut >= 4:
                lines.append(f"{line} {word[:cut]}-")
                line = word[cut:]
                continue
        lines.append(line)
        line = word
    return [*lines, line]


def layout_pdf(
    path: Path, contract: Sequence[tuple[str, str]], style: PdfStyle, encrypt: str | None = None
) -> list[str]:
    """Draw the contract page by page with a running header and footer; return the body lines drawn.

    The paragraph whose text starts with `style.break_clause` is moved down so that it starts two lines
    above the bottom margin and continues on the next page: the loader must keep it whole.
    """
    page_w, page_h = A5
    margin, leading = 50.0, style.size * 1.6
    width = page_w - 2 * margin
    top, bottom = page_h - margin - 2 * leading, margin + 2 * leading
    pages: list[list[tuple[float, float, str, float]]] = [[]]  # (x, y, text, size) per page
    y = top
    broken_across = False

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = top

    for kind, text in contract:
        if kind == "title":
            title_w = pdfmetrics.stringWidth(text, style.font, style.title_size)
            pages[-1].append(((page_w - title_w) / 2, y, text, style.title_size))
            y -= 2 * leading
            continue
        if kind == "table":
            cells = text.split(" | ")
            lines = ["\t".join(cells)]
        else:
            lines = style.wrap(text, style.font, style.size, width)
        if text.startswith(style.break_clause + " "):
            if y - bottom < 2 * leading:
                new_page()
            y = bottom + 1.5 * leading
            broken_across = True
        elif kind == "heading" and y - bottom < 2 * leading:
            new_page()
        for line in lines:
            if y < bottom:
                new_page()
            if "\t" in line:
                for col, cell in enumerate(line.split("\t")):
                    pages[-1].append((margin + col * width / 4, y, cell, style.size))
            else:
                pages[-1].append((margin, y, line, style.size))
            y -= leading
        y -= leading * 0.4
    assert broken_across, f"no paragraph starts with {style.break_clause!r}"

    c = canvas.Canvas(str(path), pagesize=A5, invariant=1, encrypt=encrypt)
    for number, items in enumerate(pages, start=1):
        c.setFont(style.font, style.size - 2)
        c.drawCentredString(page_w / 2, page_h - margin + 5, style.header)
        c.drawCentredString(page_w / 2, margin - 15, style.footer(number, len(pages)))
        for x, y_pos, text, size in items:
            c.setFont(style.font, size)
            c.drawString(x, y_pos, text)
        c.showPage()
    c.save()
    return [text for items in pages for _, _, text, _ in items]


def zh_pdf_style() -> PdfStyle:
    """STSong-Light, reportlab's built-in CID font, so no font file is needed."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return PdfStyle(
        font="STSong-Light",
        size=11,
        title_size=16,
        header=ZH_TITLE,
        footer=lambda n, m: f"第 {n} 页 共 {m} 页",
        wrap=wrap_cjk,
        break_clause=ZH_PAGE_BREAK_CLAUSE,
    )


def en_pdf_style() -> PdfStyle:
    """Helvetica with "Page N of M" footers."""
    return PdfStyle(
        font="Helvetica",
        size=10,
        title_size=14,
        header=EN_HEADER,
        footer=lambda n, m: f"Page {n} of {m}",
        wrap=wrap_words,
        break_clause=EN_PAGE_BREAK_CLAUSE,
    )


def write_scanned_pdf(path: Path) -> None:
    """An image-only PDF: what a scanner produces, with no text layer at all."""
    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    for i, line in enumerate(("SERVICES AGREEMENT", "Article 1 Services", "The Provider shall ...")):
        draw.text((60, 80 + 40 * i), line, fill=0, font=font)
    fixed = gmtime(1_704_067_200)  # 2024-01-01, so regenerating gives the same bytes
    image.save(path, "PDF", resolution=72.0, creationDate=fixed, modDate=fixed)


# The scanned page of scanned_mixed.pdf (page 2) and the photo: Chinese clauses, one wrapping over
# two lines, for the OCR tests. OCR_TEXT_PAGE is page 1, which has a text layer.
OCR_TEXT_PAGE = (
    "抖音代运营服务合同",
    "甲方：上海某某商贸有限公司",
    "乙方：杭州某某网络科技有限公司",
    "第一条 服务内容",
    "乙方每月发布短视频不少于二十条。",
)
OCR_SCANNED_PAGE = (
    "第五条 违约责任",
    "5.1 乙方未按约定完成当月发布数量的，每少一条扣减当月服务费五百元，扣减总额以当月服务费为限。",
    "5.2 甲方逾期付款的，每逾期一日按应付未付金额的万分之五向乙方支付违约金。",
    "第六条 争议解决",
    "因本合同引起的或与本合同有关的任何争议，双方应协商解决；协商不成的，提交上海仲裁委员会仲裁。",
)
OCR_DPI = 200


def cjk_font_file() -> str:
    """A real CJK font file (Debian's fonts-noto-cjk): reportlab's CID fonts cannot be rasterised."""
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in path, f"install fonts-noto-cjk (fc-match found {path!r})"
    return path


def scanned_page(paragraphs: Sequence[str], skew: float = 0.6) -> Image.Image:
    """An A6 page at 200 dpi with the paragraphs typeset in 10.5 pt, slightly skewed as scans are."""
    width, height = round(A6[0] / 72 * OCR_DPI), round(A6[1] / 72 * OCR_DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font_file(), round(10.5 / 72 * OCR_DPI), index=2)  # index 2: SC
    margin, y = 70, 90
    for paragraph in paragraphs:
        line = ""
        for ch in paragraph:  # fill each line to the right margin, as typeset Chinese text does
            if font.getlength(line + ch) > width - 2 * margin:
                draw.text((margin, y), line, fill=0, font=font)
                line, y = "", y + 48
            line += ch
        draw.text((margin, y), line, fill=0, font=font)
        y += 62
    return image.rotate(skew, fillcolor=255, resample=Image.Resampling.BICUBIC)


def write_scanned_mixed_pdf(path: Path) -> None:
    """Page 1 with a text layer, page 2 a scanned image only: the loader must OCR page 2 alone."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A6, invariant=1)
    c.setFont("STSong-Light", 10.5)
    for i, line in enumerate(OCR_TEXT_PAGE):
        c.drawString(30, A6[1] - 50 - 20 * i, line)
    c.showPage()
    buffer = io.BytesIO()
    scanned_page(OCR_SCANNED_PAGE).save(buffer, "PNG", optimize=True)
    c.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, *A6)
    c.showPage()
    c.save()


def write_photo(path: Path) -> None:
    """A JPEG of the scanned page stored on its side with an EXIF orientation, as phones save photos."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    turned = scanned_page(OCR_SCANNED_PAGE, skew=-0.4).transpose(Image.Transpose.ROTATE_90)
    turned.save(path, "JPEG", quality=80, exif=exif)


def write_broken_files() -> None:
    """Files the loader must refuse with a LoadError."""
    pdf = (OUT / "contract_en.pdf").read_bytes()
    (OUT / "corrupt.pdf").write_bytes(pdf[: len(pdf) // 3])
    docx = (OUT / "contract_en.docx").read_bytes()
    (OUT / "corrupt.docx").write_bytes(docx[: len(docx) // 2])
    (OUT / "pdf_named.docx").write_bytes(pdf)
    garbage = bytes((i * 7919 + 13) % 256 for i in range(2048)).replace(b"%", b"\x00")
    (OUT / "garbage.bin").write_bytes(b"\x00\x01\x02\x03" * 64 + garbage)


def main() -> None:
    """Write every fixture file."""
    OUT.mkdir(parents=True, exist_ok=True)
    write_text_files()
    write_docx(OUT / "contract_zh.docx", ZH_CONTRACT, ZH_HEADER, ZH_FOOTER, ZH_APPENDIX, auto_number=True)
    write_docx(OUT / "contract_en.docx", EN_CONTRACT, EN_HEADER, EN_FOOTER, EN_APPENDIX)
    zh, en = zh_pdf_style(), en_pdf_style()
    layout_pdf(OUT / "contract_zh.pdf", ZH_CONTRACT, zh)
    en_lines = layout_pdf(OUT / "contract_en.pdf", EN_CONTRACT, en)
    assert any(re.search(r"[a-z]-$", line) for line in en_lines), "no hyphenated line end to re-join"
    layout_pdf(OUT / "encrypted.pdf", EN_CONTRACT, en, encrypt="secret")
    write_scanned_pdf(OUT / "scanned.pdf")
    write_scanned_mixed_pdf(OUT / "scanned_mixed.pdf")
    write_photo(OUT / "photo_zh.jpg")
    write_broken_files()
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.name}")


if __name__ == "__main__":
    main()
