"""Item text in Markdown (issue 13, point 8), rendered as safely as comments."""

from tests.factories import make_item, make_user
from tests.helpers import login

HOSTILE = (
    "**Patrols** resumed in *Gao*.\n\n"
    "- one\n- two\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click](javascript:alert(1)) and [the brief](https://www.nupi.no/)\n\n"
    "![tracker](https://evil.example/pixel.png)"
)


def test_item_text_is_rendered_as_markdown_and_sanitised(client):
    item = make_item(title="Marked down", text=HOSTILE)
    login(client, make_user("viewer"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    text = html.split('class="item-text markdown">')[1].split("</div>")[0]
    assert "<strong>Patrols</strong>" in text
    assert "<em>Gao</em>" in text
    assert "<li>one</li>" in text
    assert "<script" not in text  # raw HTML is shown as text, never run
    assert "&lt;script&gt;" in text
    assert "<img" not in text
    assert "&lt;img" in text
    assert 'href="javascript' not in text
    assert 'href="https://www.nupi.no/"' in text
    assert 'rel="noopener noreferrer nofollow"' in text
    assert 'src="https://evil.example' not in text  # no remote image
