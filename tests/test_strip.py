from pathlib import Path

import pytest

from cleaner import Config, run
from cleaner.records import Page
from cleaner.rules import load_rules, parse_rules
from cleaner.strip import step, strip_text, title_core
from conftest import FIXTURES, SEED

RULES = load_rules()
INPUTS = [SEED / "seed.utf-8.txt", *sorted((FIXTURES / "pages").glob("*.txt"))]


def _rules(toml: str) -> tuple:
    return parse_rules(toml, "mine.toml")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_removals_and_stripped_text_give_back_the_input(path):
    text = path.read_text("utf-8")
    result = strip_text(text, RULES)
    rebuilt, kept, cursor = [], 0, 0
    for removal in result.removals:
        assert removal.start >= cursor and text[removal.start : removal.end] == removal.text
        length = removal.start - cursor
        rebuilt.append(result.text[kept : kept + length] + removal.text)
        kept, cursor = kept + length, removal.end
    rebuilt.append(result.text[kept:])
    assert "".join(rebuilt) == text


def test_upload_file_name_variants_give_the_real_title_and_go():
    page = (
        "深圳市企业技能人才评价工作指引双转移doc.docx\n\n"
        "《深圳市企业技能人才评价工作指引双转移doc.docx》由会员分享,可在线阅读,更多相关《x.docx(25页珍藏版)》请在冰豆网上搜索。\n\n"
        "深圳市企业技能人才评价工作指引双转移doc\n\n深圳市企业技能人才评价工作指引\n\n为贯彻实施通知,制定本指引。"
    )
    result = strip_text(page, RULES)
    assert result.page_title == "深圳市企业技能人才评价工作指引"
    assert result.text.strip() == "为贯彻实施通知,制定本指引。"
    assert [r.rule for r in result.removals] == ["repeated-title", "shared-by-member", "repeated-title", "repeated-title"]


def test_collection_title_names_the_page_only_when_no_upload_title_repeats():
    uploads = "Android四大组件.doc\n\n合集下载\n\n安卓开发试题及答案\n\n安卓开发试题及答案\n\n安卓开发试题及答案一、单选题。"
    result = strip_text(uploads, RULES)
    assert result.page_title == "安卓开发试题及答案"
    assert result.text == "\n\n\n安卓开发试题及答案一、单选题。"
    single = "《系统集成项目管理工程师》知识点归纳\n\n合集下载\n\n第1章信息化基础知识\n⑴信息技术应用是龙头。"
    result = strip_text(single, RULES)
    assert result.page_title == "《系统集成项目管理工程师》知识点归纳"
    assert result.text == "\n第1章信息化基础知识\n⑴信息技术应用是龙头。"


def test_only_a_two_part_breadcrumb_names_the_title_a_longer_trail_needs_the_page_to_repeat_it():
    assert strip_text("当前位置:文档之家› 如何写主题句\n\n正文。", RULES).page_title == "如何写主题句"
    assert strip_text("当前位置:首页 > 阅读 > 更多作文\n\n正文。", RULES).page_title is None
    confirmed = strip_text("当前位置:文萃集>倡议书>注意卫生的倡议书\n\n注意卫生的倡议书\n\n正文。", RULES)
    assert (confirmed.page_title, confirmed.text) == ("注意卫生的倡议书", "\n\n正文。")


def test_umbrella_title_is_kept_as_page_title_with_its_count_unless_a_cleaner_copy_exists():
    assert strip_text("乡愁读后感(优秀8篇)\n乡愁读后感篇一\n正文。", RULES).page_title == "乡愁读后感(优秀8篇)"
    result = strip_text("小学生日记\n\n【必备】小学生日记三篇\n\n小学生日记 篇1\n\n正文。", RULES)
    assert result.page_title == "小学生日记"
    assert result.text == "\n\n小学生日记 篇1\n\n正文。", "the marker line is no title copy"


def test_title_core_and_extension_never_kept():
    assert title_core("【热门】春天风景的作文三篇") == "春天风景的作文"
    assert title_core("内部技术文档库搭建_第1页") == "内部技术文档库搭建"
    assert strip_text("MVC框架文献.docx\n\nMVC框架文献.docx\n\n正文。", RULES).page_title == "MVC框架文献"


def test_glossed_lines_match_and_go_with_their_glosses():
    page = "今天是中秋節(jié)。\n【優(yōu)秀的日記】相關(guān)文章:\n中秋節(jié)日記04-22"
    result = strip_text(page, RULES)
    assert result.text == "今天是中秋節(jié)。\n"
    assert result.removals[0].text == "【優(yōu)秀的日記】相關(guān)文章:\n中秋節(jié)日記04-22"


def test_glossed_title_is_recorded_without_glosses():
    page = "五一勞動(dòng)節(jié)演講稿\n\n五一勞動(dòng)節(jié)演講稿\n\n大家好!"
    result = strip_text(page, RULES)
    assert (result.page_title, result.text) == ("五一勞動節演講稿", "\n\n大家好!")


def test_header_block_is_not_cut_across_body_text():
    rules = _rules('[[rules]]\nname = "h"\nkind = "drop-header"\npattern = "^资源描述$"')
    assert strip_text("头\n资源描述\n正文。", rules).text == "正文。"
    body = "这是一段很长的正文," * 12 + "\n资源描述\n正文。"
    assert strip_text(body, rules).text == body
    poem = "床前明月光,\n疑是地上霜。\n资源描述\n正文。"
    assert strip_text(poem, rules).text == poem


def test_opening_rules_leave_body_lines_alone():
    page = "2026-01-29\n今天是元旦,我们去看了烟花。\n2026-01-29\n"
    assert strip_text(page, RULES).text == "今天是元旦,我们去看了烟花。\n2026-01-29\n"


def test_cut_footer_cuts_from_the_match_on_a_one_line_page():
    assert strip_text("我再强调三点要求:&n[标签:介绍]", RULES).text == "我再强调三点要求:"


def test_a_site_or_user_rule_wins_a_tie_with_a_generic_one():
    mine = _rules('[[rules]]\nname = "my-footer"\nkind = "cut-footer"\npattern = "^相关主题$"')
    result = strip_text("正文。\n相关主题\n链接", RULES + mine)
    assert [r.rule for r in result.removals] == ["my-footer"]


def test_when_limits_a_rule_to_the_pages_it_names():
    rules = _rules('[[rules]]\nname = "n"\nkind = "remove-span"\nwhen = "淘文阁"\npattern = "1、"')
    assert strip_text("1、正文", rules).text == "1、正文"
    assert strip_text("淘文阁\n1、正文", rules).text == "淘文阁\n正文"


def test_keyword_fragments_need_two_kinds_and_three_copies():
    title = "有道理的寓言小故事\n有道理的寓言小故事\n"
    one_kind = title + "“誰最強呀?小故”小故聽說了,小故走了。"
    assert strip_text(one_kind, RULES).text == "“誰最強呀?小故”小故聽說了,小故走了。"
    two_kinds = one_kind + "“好呀。有道寓”有道寓來了,有道寓笑了。"
    assert strip_text(two_kinds, RULES).text == "“誰最強呀?”聽說了,走了。“好呀。”來了,笑了。"


def test_keyword_fragments_are_counted_before_a_footer_only():
    """Copies in a footer's span do not count (they are looked for only up to its start), but a fragment
    that the rule finds there is still looked for before it."""
    title = "有道理的寓言小故事\n有道理的寓言小故事\n"
    body = "“誰最強呀?小故”小故聽說了,小故走了。“好呀。有道寓”有道寓來了"
    three = strip_text(title + body + ",有道寓笑了。\n\n相关主题\n“小故”有道寓。有道寓\n", RULES)
    assert three.text == "“誰最強呀?”聽說了,走了。“好呀。”來了,笑了。\n\n"
    assert [r.rule for r in three.removals] == ["repeated-title", *["keyword-fragment"] * 6, "footer-related"]
    two = strip_text(title + body + "。\n\n相关主题\n“有道寓”有道寓。\n", RULES)
    assert two.text == body + "。\n\n"


def test_touching_spans_of_one_rule_are_one_removal():
    result = strip_text("指引_第1页\n指引_第2页\n第2页 / 共9页\n正文。", RULES)
    assert [(r.rule, r.text) for r in result.removals] == [("page-caption", "指引_第1页\n指引_第2页\n第2页 / 共9页\n")]


def test_step_uses_the_users_rule_files(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[rules]]\nname = "my-ad"\nkind = "drop-line"\npattern = "^广告.*$"\n', "utf-8")
    page = step(Page(source="p", text="广告:买它\n正文。"), Config(rule_files=(Path(extra),)))
    assert (page.text, page.rules_fired) == ("正文。", ("my-ad",))


def test_pipeline_records_page_title_and_removals():
    page = run("当前位置:文档之家› 标题\n标题\n正文。".encode("utf-8"))
    assert page.page_title == "标题"
    assert [(r.rule, r.start, r.text) for r in page.removals] == [
        ("breadcrumb", 0, "当前位置:文档之家› 标题\n"),
        ("repeated-title", 14, "标题\n"),
    ]


#: Boilerplate examples from ../shared/corpus/boilerplate-catalog.md that the saved pages do not show.
CATALOG = [
    ("當前位置:首頁 > 創(chuàng)意學(xué)院 > 技術(shù) > 專題列表 > 正文\n正文內容。", "正文內容。"),
    ("您现在的位置是:首页 > 生活常识 > 正文\n正文。", "正文。"),
    ("当前位置:网站首页 >> 作文 >> 2022年同学倡议书作文(9篇)\n正文。", "正文。"),
    ("当前位置:主页 > 心得体会 > 工作心得体会 >\n正文。", "正文。"),
    ("首页 开发文档-编程规范\n开发文档-编程规范\n正文。", "正文。"),
    ("这是开头(未完,全文共1109字,当前显示253字)", "这是开头"),
    ("…… 此处隐藏682字 ……后来", "后来"),
    ("- 文档编号:12865864\n- 上传时间:2023-04-22\n- 格式:DOCX\n正文。", "正文。"),
    ("• 资源ID:3061754       资源大小:57.76KB        全文页数:39页\n正文。", "正文。"),
    ("发布人: 谜语网 发布时间:2015-07-16 字体: | | 打印文章\n正文。", "正文。"),
    ("来源:学生作业帮助网 编辑:作业帮 时间:2024/04/30 13:08:56\n正文。", "正文。"),
    ("2021-05-18 初一作文\n正文。", "正文。"),
    ("本文已影響 3.31W人 \n正文。", "正文。"),
    ("全文共 233 字\n+ 加入清单\n展开阅读全文\n正文。", "正文。"),
    ("生活第2页共2页本文格式为Word版下载后可任意编辑和复制条件、", "生活条件、"),
    ("![茶楼规章管理制度_第1页](http://file4.renrendoc.com/view/a/1.gif)\n正文。", "正文。"),
    ("正文。\n精彩推薦:\n- 初一英文作文:Noisy", "正文。\n"),
    ("正文。\n附件列表\n1.doc", "正文。\n"),
    ("好好学习雷锋!【星火作文网 www.easyzw.com】", "好好学习雷锋!"),
    ("【www.huanhuayt.com--儿童故事】\n正文。", "\n正文。"),
    ("精选优质文档-倾情为你奉上\n正文。", "\n正文。"),
    ("100字日记 WwW.RIji100zi.cOM原创不易,请大佬高抬贵手!今天", "今天"),
    ("倾向于华考范文网在文章标题下署名。", "倾向于在文章标题下署名。"),
    ("開始之前先推薦一個非常厲害的Ai人工智能工具,一鍵生成原創文章。官網:https://ai.de1919.com。正文。", "正文。"),
    ("-------------各类专业好文档,值得你下载,应有尽有--------------\n正文。", "\n正文。"),
    ("发布网友 发布时间:2022-04-21 11:38\n共1个回答\n正文。", "正文。"),
]


@pytest.mark.parametrize("page,expect", CATALOG, ids=lambda value: value[:12] if isinstance(value, str) else value)
def test_catalog_examples(page, expect):
    assert strip_text(page, RULES).text == expect


def test_rules_run_again_on_a_line_that_a_removal_changed():
    """The page caption cut out of the line leaves 15 characters before 还剩5页未读: a second cleaning would
    remove that line, so the first does (the line's removal is recorded around the caption's)."""
    text = "已阅读前面的十五个字的预览内容第1页共17页还剩5页未读\n正文。"
    result = strip_text(text, load_rules())
    assert result.text == "正文。"
    assert [(r.rule, r.start, r.text) for r in result.removals] == [
        ("preview-remaining", 0, "已阅读前面的十五个字的预览内容"),
        ("inline-page-number", 15, "第1页共17页"),
        ("preview-remaining", 22, "还剩5页未读\n"),
    ]


def test_a_header_rule_on_a_page_that_other_rules_emptied():
    assert strip_text("当前位置:文档之家› 以下是小编整理的", load_rules()).text == ""


def test_rules_after_a_footer_decide_what_they_did_before_it():
    """Past a footer's start, a rule's spans are inside the footer's and are not looked for; but a line
    dropped from before it (a match after the footer on its line) stays the rule's, and a title noted
    after it still names the page."""
    rules = _rules(
        '[[rules]]\nname = "foot"\nkind = "cut-footer"\npattern = "相关阅读"\n'
        '[[rules]]\nname = "ad-line"\nkind = "drop-line"\npattern = "推广"\n'
        '[[rules]]\nname = "ad"\nkind = "remove-span"\npattern = "广告"\n'
        '[[rules]]\nname = "named"\nkind = "drop-line"\npattern = "^标题:(?P<title>.+)$"\n'
    )
    text = "正文广告。\n正文相关阅读推广\n推广\n广告\n标题:一个标题\n"
    result = strip_text(text, rules)
    assert [(r.rule, r.text) for r in result.removals] == [
        ("ad", "广告"), ("ad-line", "正文相关阅读推广\n"), ("foot", "推广\n广告\n标题:一个标题\n")]
    assert (result.text, result.page_title) == ("正文。\n", "一个标题")
