"""R-PT-12: news content is sanitised on the server (nh3) — a news item can
never carry script, whatever the editor or an API client sends."""

from __future__ import annotations

import pytest

from zhonglou_hrss.portal.services.richtext import clean_html, has_content

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="/media/x.jpg" onerror="alert(1)">',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<a href="&#106;avascript:alert(1)">点我</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://evil.example/"><input name="p"></form>',
    '<p onclick="alert(1)" onmouseover="alert(1)">文字</p>',
    '<style>body{display:none}</style><p>x</p>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p><scr<script>ipt>alert(1)</script></p>',
]


@pytest.mark.parametrize("html", ATTACKS)
def test_no_script_survives(html):
    out = clean_html(html).lower()
    for marker in ("<script", "javascript:", "onerror", "onload", "onclick", "onmouseover", "<iframe", "<svg",
                   "<object", "<embed", "<style", "<form", "<base", "<meta", "data:", "style=", "evil.example"):
        assert marker not in out, (html, out)


def test_the_editors_formatting_is_kept(settings):
    html = ('<h2 class="ql-align-center">标题</h2><p>正文<strong>加粗</strong><em>斜体</em><u>下划线</u></p>'
            '<ol><li>一</li><li class="ql-indent-1">二</li></ol><ul><li>甲</li></ul>'
            '<p><a href="https://www.jiangsu.gov.cn/">链接</a> <img src="/media/portal/news/a.jpg" alt="图"></p>')
    out = clean_html(html)
    for kept in ('<h2 class="ql-align-center">', "<strong>加粗</strong>", "<em>斜体</em>", "<u>下划线</u>",
                 '<li class="ql-indent-1">', "<ul><li>甲</li></ul>", 'src="/media/portal/news/a.jpg"',
                 'href="https://www.jiangsu.gov.cn/"', 'rel="noopener noreferrer"'):
        assert kept in out


def test_only_our_own_pictures_and_classes():
    out = clean_html('<p class="evil ql-align-right"><img src="https://evil.example/t.gif">'
                     '<img src="/media/../etc/passwd"></p>')
    assert out == '<p class="ql-align-right"><img><img></p>'


def test_empty_editor_content():
    assert not has_content(clean_html("<p><br></p>"))
    assert not has_content(clean_html("<script>x</script>"))
    assert has_content(clean_html('<p><img src="/media/a.jpg"></p>'))
