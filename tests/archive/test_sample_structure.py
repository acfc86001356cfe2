"""The sample issue (2023 年第八期), checked against figures counted by hand from the file."""

import datetime

SECTIONS = [
    "热点关注",
    "行业动向",
    "国际视野",
    "国内动态",
    "自贸专题",
    "国研专稿",
    "企业排行榜",
    "新书推荐",
]

# (section, source as printed, date), in print order: every source-date line of the file.
ARTICLES = [
    ("热点关注", "人民日报", "2023-07-19"),
    ("热点关注", "环球网", "2023-07-19"),
    ("热点关注", "海南日报", "2023-07-19"),
    ("热点关注", "新华社", "2023-07-22"),
    ("热点关注", "人民日报", "2023-07-25"),
    ("热点关注", "中国新闻网", "2023-07-26"),
    ("热点关注", "人民网", "2023-07-26"),
    ("热点关注", "央广网", "2023-08-05"),
    ("热点关注", "人民日报", "2023-08-08"),
    ("行业动向", "中国经济新闻网", "2023-07-21"),
    ("行业动向", "每日经济新闻", "2023-07-27"),
    ("行业动向", "人民日报", "2023-07-28"),
    ("行业动向", "人民日报", "2023-08-01"),
    ("行业动向", "中国新闻网", "2023-08-01"),
    ("行业动向", "新华网", "2023-08-03"),
    ("行业动向", "中国新闻网", "2023-08-03"),
    ("行业动向", "法制日报-法制网", "2023-08-09"),
    ("行业动向", "深圳市人工智能产业协会", "2023-08-07"),
    ("国际视野", "经济日报", "2023-07-18"),
    ("国际视野", "Euclid-Tenders News", "2023-07-20"),
    ("国际视野", "中国日报网", "2023-07-26"),
    ("国际视野", "环球时报", "2023-07-27"),
    ("国际视野", "参考消息网", "2023-07-27"),
    ("国际视野", "Berita Satu", "2023-08-08"),
    ("国际视野", "环球时报", "2023-08-01"),
    ("国际视野", "参考消息网", "2023-08-02"),
    ("国内动态", "新华社", "2023-07-18"),
    ("国内动态", "新华网", "2023-07-19"),
    ("国内动态", "文汇报", "2023-07-21"),
    ("国内动态", "中国新闻网", "2023-07-28"),
    ("国内动态", "南方日报", "2023-08-04"),
    ("国内动态", "广州日报", "2023-08-03"),
    ("国内动态", "新华网", "2023-08-05"),
    ("国内动态", "新华社", "2023-08-02"),
    ("国内动态", "浙江日报", "2023-08-04"),
    ("国内动态", "浙江在线", "2023-07-26"),
    ("国内动态", "中国新闻网", "2023-08-09"),
    ("国内动态", "人民网", "2023-07-17"),
    ("国内动态", "中国新闻网", "2023-08-02"),
    ("国内动态", "中国新闻网", "2023-07-17"),
    ("国内动态", "四川经济网", "2023-07-20"),
    ("国内动态", "成都日报", "2023-08-05"),
    ("国内动态", "中国新闻网", "2023-08-01"),
    ("国内动态", "中国新闻网", "2023-07-27"),
    ("国内动态", "大众日报", "2023-08-03"),
    ("国内动态", "人民日报", "2023-08-11"),
    ("自贸专题", "新华报业网", "2023-07-18"),
    ("自贸专题", "湖南日报", "2023-07-28"),
    ("自贸专题", "爱济南", "2023-08-04"),
    ("自贸专题", "河南日报", "2023-08-07"),
    ("自贸专题", "财联社", "2023-08-10"),
    ("国研专稿", "《产业追踪》", "2023-07-31"),
    ("国研专稿", "《金融透视》", "2023-08-03"),
    ("国研专稿", "《企业管理》", "2023-08-03"),
    ("企业排行榜", "中商情报网", "2023-07-27"),
    ("企业排行榜", "中商情报网", "2023-08-01"),
    ("企业排行榜", "中国新闻网", "2023-08-03"),
    ("企业排行榜", "职猎圈", "2023-08-10"),
]

# TOC page numbers: 58 articles, then one entry for the book block.
TOC_PAGES = [
    1, 2, 3, 3, 4, 5, 5, 7, 8, 9, 11, 12, 14, 17, 20, 21, 21, 22, 23, 25, 25, 27,
    28, 29, 29, 30, 32, 33, 34, 36, 37, 38, 42, 43, 44, 45, 46, 47, 48, 49, 50,
    52, 53, 54, 56, 57, 59, 62, 63, 65, 67, 68, 74, 77, 82, 82, 82, 85, 86,
]  # fmt: skip

WX = "https://mp.weixin.qq.com/s/"
# (source-date line of the article, attachment title, URL), in file order.
ATTACHMENTS = [
    (254, "关于促进民营经济发展壮大的意见", WX + "NNbwViL99UPMlgtxYihBhQ"),
    (383, "关于以制造业为重点促进外资扩增量稳存量提质量的若干政策措施", WX + "RlZ1YNR5iBf1qJOxZxkCQg"),
    (433, "谈判药品续约规则", WX + "lIr25jeQ72khUx8lV6mLYQ"),
    (485, "央企产业焕新行动和未来产业启航行动", WX + "SqLOjdHtruWywBkD8FkSBA"),
    (515, "2023 全国专精特新中小企业发展大会", WX + "a7M65ierCnuB1rR-7r4b-g"),
    (562, "全国市场监管部门负责同志座谈会", WX + "3ZbA4mzwZhSSbxiAARQ26A"),
    (649, "上市公司独立董事管理办法", WX + "Q9OUuGBV50OvdU0ByK1wqg"),
    (738, "氢能产业标准体系建设指南(2023 版)", WX + "PiOjNkDSoKFaRqHwSmDUJw"),
    (782, "生成式人工智能服务管理暂行办法", WX + "TztAWbEJmA3qBCiLgvZMyg"),
    (1029, "金融支持科技创新 做强做优实体经济", WX + "IkxUPKYHKcNK9zOT8zmTng"),
    (1182, "关于恢复和扩大消费的措施", WX + "WJmkzhXxv3NDR0R6BG0qpA"),
    (1400, "关于实施促进民营经济发展近期若干举措的通知", WX + "YqSxDql6dI_Te1wQnwVXdg"),
    (1568, "关于做好可再生能源绿色电力证书全覆盖工作 促进可再生能源电力消费的通知", WX + "DXZ87c3w07UN7h-Hv8CQSw"),
    (1654, "工业和信息化部关于开展移动互联网应用程序备案工作的通知", WX + "qXIhv4vb_H1Ng01GlGdKQw"),
    (1707, "人工智能企业等级评定规范", WX + "HnQBb-0OrnGP0fHeVHlfSQ"),
    (2293, "关于促进本市生产性互联网服务平台高质量发展的若干意见", WX + "YwLkdkPsD_55yIfxONHFbA"),
    (2355, "关于印发〈关于优化调整稳就业政策全力促发展惠民生的若干措施〉的通知", WX + "xAxnA_Dk84s6egiOzloVGw"),
    (2413, "上海市推进跨境电商高质量发展行动方案（2023-2025年）", WX + "2rLEJsmjjoruj-DEUPB8-Q"),
    (2413, "上海市推动会展经济高质量发展打造国际会展之都三年行动方案（2023-2025 年）", WX + "2rLEJsmjjoruj-DEUPB8-Q"),
    (2566, "2023上海市专精特新企业发展指数报告", WX + "cbdDXC1PTzO7-0jbh7_h4A"),
    (2656, "关于以制造业为重点促进外资扩增量稳存量提质量的若干措施", WX + "MhWL2nD2DLDAdBE2x23cYQ"),
    (2744, "广州市促进民营经济发展壮大的若干措施", WX + "x57NX3RJsJs574e4eLV2-A"),
    (2979, "深圳市加快打造“新一代世界一流汽车城”三年行动计划（2023－2025 年）", WX + "WDJAkDUIAbhfCSCijWX_0w"),
    (3033, "浙江省大力促进个体经济发展的若干政策", WX + "7SHITaYIvSfjD8WxX8xJPQ"),
    (3083, "关于进一步做好减轻企业负担工作助力营商环境优化提升“一号改革工程”实施方案", WX + "aeO3bcjpYcViZaRunzPcAw"),
    (3163, "关于高质量全域推进未来社区建设的实施意见", WX + "5Zgx6eeX0cu_2PWcJGqUvw"),
    (3215, "海南省新能源汽车推广中长期行动方案(2023-2030 年)", WX + "ar_-wqMN1zcBOZO2Gb8wcw"),
    (3267, "重庆海关支持帮扶外贸市场主体发展的 20条细化措施", WX + "hidiCwemQzyYDEsCTQ-vZg"),
    (3325, "优化调整稳就业政策全力促发展惠民生若干措施", WX + "fX8gSI8yDmnLlN80696mEQ"),
    (3385, "关于建设青年发展型省份的若干措施", WX + "Xzh45L_TB9pD0wrhbqgu5Q"),
    (3477, "成都市进一步有力有效推动科技成果转化的若干政策措施", WX + "1buu9Asv3ND5hLaMLQQ65A"),
    (3582, "成都市加快大模型创新应用推进人工智能产业高质量发展的若干措施", WX + "gVvlqIMo7TiYahLp8qbZEg"),
    (3680, "江西《关于进一步促进和扩大消费的若干措施》", WX + "gLm5UJ9RSUHTox-oPyKk4Q"),
    (3762, "关于推动外贸外资稳规模优结构高质量发展的若干措施", WX + "V64-mGJjGvYE8k1icceJCQ"),
    (3855, "山东省跨境电商跃升发展行动计划(2023-2025 年)", WX + "uXILpSZ0h2BPv_P8iQ-SZw"),
    (3943, "关于贯彻促发展惠民生要求落实优化调整稳就业政策若干措施的通知", WX + "nlqQvdLPemL1vs7X9R1Epw"),
    (4334, "关于进一步提升中国(山东)自由贸易试验区济南片区法治化营商环境助推民营经济高质量发展的若干意见", WX + "xda3xMHVRbVqEq9JvZ4Evg"),
    (4590, "关于在有条件的自由贸易试验区和自由贸易港试点对接国际高标准推进制度型开放的若干措施", WX + "EFu9gbK39dg6JjqNcdbVyw"),
    (5569, "2023自动驾驶实力品牌 TOP10", "https://top.askci.com/news/20230727/100154269042331344070363.shtml"),
    (5593, "2023金控集团 50强排行榜", "https://top.askci.com/news/20230801/091514269085251472481754.shtml"),
    (5617, "2023 年《财富》世界 500 强榜单", WX + "-QxIJR4M3eDEWmrNks9yDg"),
    (5761, "中国互联网公司排行榜 100强", WX + "7Kj2FAN-r7pEq53DgdH2Zg"),
]  # fmt: skip

BOOKS = [
    {
        "book_title": "中国经济增长十年展望",
        "book_author": "刘世锦",
        "book_publisher": "中信出版集团",
        "book_publication_date": "2020-08",
        "book_summary": "本书以“战疫增长模式”为主题，在分析疫情对经济冲击特点的基础上，"
        "讨论了宏观经济走势与增长潜能、重点行业和领域如何恢复增长且转危为机，"
        "提出了合理评估并设定增长目标、短期救助与中长期结构转型升级相配合等政策要点。",
        "book_reason": "该套丛书入选《“十三五”国家重点图书、音像、电子出版物出版规划》，"
        "作为“庆祝中华人民共和过成立 70周年大型成就展”社科界研究成果展出。",
    },
    {
        "book_title": "金融激荡 300年",
        "book_author": "瀛洲客",
        "book_publisher": "中信出版社",
        "book_publication_date": "2020-11",
        "book_summary": "本书从经济学角度解读历史和政治，追溯 300 年金融激荡的进程，"
        "解读金融的力量，回答金融的走向，是一本上乘的金融史通俗读物。",
        "book_reason": "本书再现金融历史场景，体验金融观念。作者视野广阔，案例包罗万象，"
        "征引生动丰富，可读性强。多位金融、银行界大咖推荐。",
    },
    {
        "book_title": "经济学入门 50讲",
        "book_author": "张是之",
        "book_publisher": "中信出版社",
        "book_publication_date": "2020-12",
        "book_summary": "本书将着力梳理一条正确的经济学学习入门路线，并穿插对比介绍不同学派之间的观点差异，"
        "比如长期占据院校和政策位置的芝加哥学派和凯恩斯学派，"
        "还有经常表示质疑和提出反对声音的公共选择学派和奥地利学派。",
        "book_reason": "众多学者作序、推荐。本书既依托经济学理论，"
        "又联系当下社会热点来进行更加深入的探讨，可读性强，读者共鸣性高。",
    },
    {
        "book_title": "新服务时代",
        "book_author": "李乐飞",
        "book_publisher": "中信出版社",
        "book_publication_date": "2020-10",
        "book_summary": "本书向“服务主导逻辑”借鉴，用“新服务”作为源头牵引，"
        "以“满足人民群众对美好生活的向往”为顶层需求去思考“新基建”，"
        "打破单一技术方向线性推进的条线逻辑，为时代发展提供一种有理、有利、有机、有序的路线，"
        "突出了细节的魔力，同时也传递了定义未来的力量！",
        "book_reason": "详细的案例分析，专业的理论支撑，简单易学的设计工具。视角独特，"
        "颠覆传统认知思维。专家、学者倾情推荐，每个人都将从中受益。",
    },
]


def test_masthead(parsed_sample):
    issue = parsed_sample
    assert (issue.year, issue.number, issue.cumulative_number) == (2023, 8, 26)
    assert issue.period_start == datetime.date(2023, 7, 16)
    assert issue.period_end == datetime.date(2023, 8, 15)
    assert issue.publication_name == "信息摘编"
    assert issue.publisher == "天津港保税区文教局（图书档案馆、地方志编修办公室）"
    assert issue.phones == ["（022）84925879", "（022）84925819"]
    assert issue.website == "http://www.taeacc.org.cn"
    assert issue.email == "zdd@adm.tjftz.gov.cn"
    assert issue.address == "天津空港经济区东四道 8 号"
    assert issue.chief_editors == ["沈习春", "薛晓莹"]
    assert issue.deputy_editors == ["张欣", "朱丹丹"]


def test_sections_in_order(parsed_sample):
    assert [section.name for section in parsed_sample.sections] == SECTIONS
    counts = {section.name: len(section.items) for section in parsed_sample.sections}
    assert counts == {
        "热点关注": 9,
        "行业动向": 9,
        "国际视野": 8,
        "国内动态": 20,
        "自贸专题": 5,
        "国研专稿": 3,
        "企业排行榜": 4,
        "新书推荐": 4,
    }


def test_every_article_with_source_and_date(parsed_sample):
    found = [
        (section.name, item.source, item.source_date.isoformat())
        for section in parsed_sample.sections
        for item in section.items
        if item.kind != "book"
    ]
    assert found == ARTICLES


def test_toc_pages_become_print_pages(parsed_sample):
    assert parsed_sample.toc_pages == TOC_PAGES
    articles = [item for item in parsed_sample.items if item.kind != "book"]
    books = [item for item in parsed_sample.items if item.kind == "book"]
    assert [item.print_page for item in articles] == TOC_PAGES[:-1]
    assert [item.print_page for item in books] == [86, 86, 86, 86]
    # The page breaks of the text layer agree with the TOC, so nothing is flagged.
    assert [item.page for item in articles] == TOC_PAGES[:-1]
    assert parsed_sample.warnings == []


def test_every_attachment_title_and_url(parsed_sample):
    found = [
        (item.line, attachment.title, attachment.url)
        for item in parsed_sample.items
        for attachment in item.attachments
    ]
    assert found == ATTACHMENTS


def test_books(parsed_sample):
    books = parsed_sample.sections[-1].items
    fields = [{name: getattr(book, name) for name in BOOKS[0]} for book in books]
    assert fields == BOOKS
    assert all(book.kind == "book" and not book.title_is_provisional for book in books)
    assert [book.title for book in books] == [book["book_title"] for book in BOOKS]


def test_research_papers_abstract_and_keywords(parsed_sample):
    papers = parsed_sample.sections[5].items
    assert papers[0].abstract.startswith(
        "人工智能技术是智联时代具有通用目的战略技术，基于人"
    )
    assert papers[0].abstract.endswith("给出了有效促进智联时代文化创意产业的发展路径。")
    assert papers[0].keywords == "人工智能，文化创意产业，扬州"
    assert papers[2].abstract == (
        "随着信息技术和数字技术的快速崛起，明确数字化转型对企业创新发展具有非常重要的意义。"
        "国有企业因其享有国家政策的大力支持，拥有相对丰富的资源，可以更好地发挥数字化转型的优势作用。"
        "本文根据企业数字化转型的内涵，阐明加快国有企业数字化转型的重要意义，"
        "分析国有企业数字化转型的现状与转型升级中遇到的问题，最后提出加快国有企业数字化转型策略。"
    )
    assert papers[2].keywords == "企业数字化转型，国有企业，创新发展"
    assert [paper.kind for paper in papers] == ["research", "", "research"]
    assert "摘要" not in papers[0].body_html and "关键词" not in papers[0].body_html


def test_titles_are_provisional_and_short(parsed_sample):
    articles = [item for item in parsed_sample.items if item.kind != "book"]
    assert all(item.title_is_provisional for item in articles)
    assert all(0 < len(item.title) <= 40 for item in articles)
    assert articles[0].title == "民营经济是推进中国式现代化的生力军"
    assert articles[1].title == "今年是自贸试验区建设十周年"


def test_body_joins_page_break_inside_a_paragraph(parsed_sample):
    body = parsed_sample.items[0].body_html
    # Lines 316-323: the page break (line 319 starts with a space) falls mid-sentence.
    assert (
        "<p>《意见》还要求，完善市场化重整机制。鼓励民营企业盘活存量资产回收资金。"
        "坚持精准识别、分类施策，对陷入财务困境但仍具有发展前景和挽救价值的企业，"
        "按照市场化、法治化原则，积极适用破产重整、破产和解程序。推动修订企业破产法并完善配套制度。"
        "优化个体工商户转企业相关政策，降低转换成本。</p>"
    ) in body
    assert body.startswith(
        "<p>“民营经济是推进中国式现代化的生力军，是高质量发展的重要基础，"
        "是推动我国全面建成社会主义现代化强国、实现第二个百年奋斗目标的重要力量。”</p>"
        "<p>为促进民营经济发展壮大，"
    )
    assert "附：" not in body and "https://" not in body


def test_body_drops_page_numbers_and_keeps_subheadings(parsed_sample):
    article = next(item for item in parsed_sample.items if item.line == 1029)
    body = article.body_html
    # Line 1059 is a bare page number "13" between two halves of one sentence.
    assert (
        "科技型中小企业贷款余额 2.36 万亿元，同比增长 25.1%，连续 3 年保持 25%以上的较高增速；"
        in body
    )
    assert ">13<" not in body
    assert "<h3>科技型企业贷款持续保持较快增长速度</h3>" in body
    # A sub-heading that opens a new page (line 1137 starts with a space).
    assert "<h3>加大对中小企业数字化转型等金融支持力度</h3>" in body


def test_ranking_subheadings(parsed_sample):
    article = next(item for item in parsed_sample.items if item.line == 5617)
    assert (
        "<h3>前十榜单出现变化</h3><p>今年的世界 500强里，“榜一大哥”依然没有变化，"
        in (article.body_html)
    )
    assert "<h3>哪些行业更赚钱</h3>" in article.body_html
    # Line 5630 opens a page with a new paragraph.
    assert (
        "<p>全世界最能挣钱的企业们发生了什么地位变化？行业间的盛衰更迭又是否有规律可循？</p>"
        in article.body_html
    )


def test_research_subheadings(parsed_sample):
    body = parsed_sample.sections[5].items[2].body_html
    assert body.startswith(
        "<h3>一、引言</h3><p>近年来，大数据、互联网等一系列新兴信息技术"
    )
    assert "<h3>（一）数字化转型是国有企业降低成本的重要路径</h3>" in body
    assert "<h3>六、结语</h3>" in body


def test_quotes_and_latin_words_do_not_end_paragraphs(parsed_sample):
    by_line = {item.line: item.body_html for item in parsed_sample.items}
    # Line 857 ends on a closing quote that closes no sentence.
    assert "不过，“一管就死”和“一放就乱”往往是业界更为担忧的问题。</p>" in by_line[782]
    # Line 1957 wraps early because "Board）发布报告" did not fit.
    assert (
        "<p>7 月 20 日，美国经济咨商局（The Conference Board）发布报告称，6 月，"
        in by_line[1918]
    )
    assert "<h3>" not in by_line[1918]
