"""Writes the PDF and DOCX documents of the built-in doc-QA suite (assistant/core/eval/suites/docs/).

The suite has twelve short documents written for this project (public domain, CC0), about made-up places,
products and rules, so that a model can only answer from them: English and Chinese, as PDF (made here with
fpdf2 and a CJK font from fonts-wqy-microhei / fonts-noto-cjk), DOCX (python-docx), and, kept as they are in
that folder, HTML, Markdown, plain text in GBK and UTF-8, and Python source. The questions are in
assistant/core/eval/suites/docs.jsonl.

    .venv/bin/python packaging/docs_suite.py            # (re)write the PDFs and DOCX files

fpdf2 and python-docx are in the dev extra: the app reads these files, it never writes them.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "assistant" / "core" / "eval" / "suites" / "docs"
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# Each PDF: pages of (heading, paragraphs).
LUMEN_MANUAL = [
    ("Lumen R7 Home Router — User Manual", [
        "Thank you for choosing the Lumen R7. This manual covers setup, wireless settings, security and "
        "maintenance. Keep it with the router.",
        "In the box: the Lumen R7 router, a 12 V power adapter, one flat Ethernet cable of 1.5 metres and a "
        "quick start card. The router weighs 640 grams.",
        "Placing the router: put it at least one metre above the floor, away from microwave ovens and metal "
        "cabinets. The four antennas work best pointing straight up.",
    ]),
    ("First setup", [
        "Connect the WAN port (the blue one) to your modem. Power on the router and wait until the status light "
        "turns steady green, which takes about 90 seconds.",
        "Open a browser and go to http://192.168.77.1, the router's default address. The default administrator "
        "name is admin and the default password is printed on the label under the router.",
        "The setup wizard asks for a new administrator password of at least 10 characters. The wizard cannot be "
        "finished with the printed default password.",
    ]),
    ("Wireless settings", [
        "The Lumen R7 broadcasts two networks: a 2.4 GHz network for range and a 5 GHz network for speed. By "
        "default both use the same network name, and the router steers each device to the better band.",
        "The guest network is off by default. When switched on, guests can reach the internet but not the other "
        "devices in your home, and the guest network turns itself off after 24 hours.",
        "Channel selection is automatic. In crowded buildings you can fix the 5 GHz network to channel 149.",
    ]),
    ("Reset, firmware and warranty", [
        "To restore the factory settings, hold the recessed reset button for 12 seconds until all lights flash "
        "orange. Holding it for only 3 seconds restarts the router without erasing the settings.",
        "The router checks for new firmware every night at 03:00. The firmware described in this manual is "
        "version 4.2.1.",
        "The Lumen R7 comes with a three-year limited warranty. Keep the receipt: the warranty starts on the "
        "date of purchase.",
    ]),
]

TEA_GARDEN = [
    ("青禾茶园简介", [
        "青禾茶园位于云溪县北部的雾岭山区，创建于1987年，是当地第一家获得有机认证的茶园。",
        "茶园海拔约1240米，全年平均气温16.5摄氏度，云雾天气多，适合茶树缓慢生长。",
        "茶园现有员工86人，其中制茶师傅12人，采茶季节还会临时雇用当地村民。",
    ]),
    ("茶叶品种与采摘", [
        "茶园主要种植三个品种：雾岭白毫、青禾早芽和紫笋。其中雾岭白毫种植面积最大，约占全部茶园的六成。",
        "春茶从每年3月下旬开始采摘，清明节前采摘的头采茶价格最高。夏茶和秋茶主要用于制作红茶。",
        "采摘标准为一芽一叶或一芽两叶，雨天和露水未干时不采摘。",
    ]),
    ("制作工艺", [
        "绿茶的制作流程包括摊青、杀青、揉捻和干燥四个步骤。杀青温度控制在220摄氏度左右。",
        "紫笋红茶需要发酵约5个小时，发酵室的湿度保持在90%以上。",
    ]),
    ("参观与购买", [
        "茶园每周二至周日对游客开放，周一闭园。参观门票为每人30元，包含一次品茶体验。",
        "游客可以在茶园门店购买茶叶，雾岭白毫每500克售价680元。茶园不提供网上销售。",
    ]),
]

TRAVEL_POLICY = [
    ("星河科技有限公司差旅报销制度", [
        "第一条 为规范员工出差行为、合理控制费用，制定本制度。本制度适用于公司全体正式员工和实习生。",
        "第二条 出差前须填写出差申请单，由部门经理审批；出差时间超过五天的，还须经分管副总经理批准。",
    ]),
    ("交通与住宿标准", [
        "第三条 乘坐飞机一律购买经济舱。单程飞行时间超过六小时的，经批准可以乘坐高端经济舱。",
        "第四条 火车可乘坐高铁二等座；夜间乘车超过八小时的，可以乘坐卧铺。",
        "第五条 住宿标准：北京、上海、广州、深圳每晚不超过450元；其他城市每晚不超过300元。"
        "两名同性员工同行时原则上合住一间。",
    ]),
    ("补助与报销", [
        "第六条 出差伙食补助每人每天100元，按实际出差天数计算，无需提供发票。",
        "第七条 市内交通费凭票据实报实销，每天上限为80元。",
        "第八条 出差结束后30天内须在报销系统中提交报销申请，逾期不予报销。报销款在审批通过后10个工作日内发放。",
        "第九条 本制度自2024年1月1日起施行，由财务部负责解释。",
    ]),
]

POTTERY = [
    ("Riverbend Pottery Workshop — Course Notes", [
        "Welcome to the beginners' wheel-throwing course at Riverbend. The course runs for eight Thursday evenings, "
        "from 18:30 to 21:00, and each class has at most nine students.",
        "The course fee of 240 pounds includes 12 kilograms of clay, glazes and two firings for every piece.",
    ]),
    ("Clay and firing", [
        "We use a buff stoneware clay that fires to cone 6, which is about 1,222 degrees Celsius in our kiln.",
        "Finished pieces are bisque fired first at 1,000 degrees. The glaze firing takes about 14 hours, and "
        "the kiln then needs a full day to cool before it may be opened.",
        "Pieces thicker than one centimetre at the base can crack in the kiln; trim them before they dry.",
    ]),
    ("Studio rules", [
        "Wedge your clay for at least five minutes before throwing. Never pour clay slurry down the sink: use the "
        "settling bucket by the door.",
        "Unfinished work is kept on the green shelves for two weeks. Work left longer is recycled.",
    ]),
]

MARATHON = [
    ("Sixteen-week marathon plan", 1, [
        "This plan takes a runner who can already run 10 kilometres without stopping to the start of a marathon "
        "in sixteen weeks. It has four runs a week and one day of cross-training.",
    ]),
    ("The weekly pattern", 2, [
        "Monday is always a rest day. Tuesday is an interval session, Thursday a tempo run, Saturday the long run, "
        "and Sunday an easy recovery run of 30 to 40 minutes. Wednesday is for cycling or swimming.",
        "Intervals: after a warm-up, run 6 × 800 metres at 5 km race pace with 400 metres of jogging between.",
    ]),
    ("Long runs", 2, [
        "The long run grows by about two kilometres a week, with an easier week every fourth week.",
        "The longest run of the plan, 32 kilometres, comes in week 13.",
        "Take a gel or a sports drink every 40 minutes on runs longer than 90 minutes.",
    ]),
    ("Taper and race day", 2, [
        "The last three weeks are the taper: the weekly distance falls to about 75%, then 50%, then 30% of the "
        "peak week. Keep a little speed work so the legs stay sharp.",
        "On race day, eat breakfast three hours before the start and run the first 10 kilometres slower than "
        "your goal pace.",
    ]),
]

MARS_BASE = [
    ("曙光火星基地生活手册", 1, [
        "曙光基地位于火星北半球的阿西达利亚平原，是一个虚构的科研站，常驻乘员12人，每批乘员驻留18个月。",
    ]),
    ("基地结构", 2, [
        "基地由四个舱段组成：启明舱为指挥与通信舱，长庚舱为生活舱，织女舱为温室，北辰舱为实验室。",
        "各舱段之间由加压通道连接，每条通道两端都设有气密门。",
    ]),
    ("生命保障", 2, [
        "基地的氧气主要由电解水装置产生，储备氧气可供全体乘员使用72小时。",
        "舱内气压保持在70千帕，温度保持在21摄氏度左右。",
        "温室每天可以生产约15千克新鲜蔬菜，主要是生菜、番茄和土豆。",
    ]),
    ("应急程序", 2, [
        "听到三短一长的警报声，表示发生气压泄漏，所有人员须在两分钟内进入最近的安全舱。",
        "沙尘暴期间禁止出舱活动，太阳能板的清扫工作由机器人“小铲”完成。",
    ]),
]

def _pdf(name: str, pages: list[tuple[str, list[str]]]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=timezone.utc))  # the same bytes at every run
    font = next((f for f in CJK_FONTS if Path(f).is_file()), None)
    if font is None:
        raise SystemExit("No CJK font: install fonts-wqy-microhei (packaging/programs.txt).")
    pdf.add_font("cjk", "", font)
    pdf.set_title(pages[0][0])
    for heading, paragraphs in pages:
        pdf.add_page()
        pdf.set_font("cjk", size=16)
        pdf.multi_cell(0, 10, heading)
        pdf.ln(4)
        pdf.set_font("cjk", size=11)
        for para in paragraphs:
            pdf.multi_cell(0, 7, para)
            pdf.ln(4)
    pdf.output(str(OUT / name))


def _docx(name: str, sections: list[tuple[str, int, list[str]]]) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = sections[0][0]
    for heading, level, paragraphs in sections:
        d.add_heading(heading, level=level if level > 1 else 0)
        for para in paragraphs:
            d.add_paragraph(para)
    d.save(str(OUT / name))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    _pdf("lumen-r7-manual.pdf", LUMEN_MANUAL)
    _pdf("青禾茶园简介.pdf", TEA_GARDEN)
    _pdf("差旅报销制度.pdf", TRAVEL_POLICY)
    _pdf("riverbend-pottery-notes.pdf", POTTERY)
    _docx("marathon-plan.docx", MARATHON)
    _docx("曙光火星基地手册.docx", MARS_BASE)
    for f in sorted(OUT.iterdir()):
        print(f"{f.stat().st_size:>8,}  {f.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
