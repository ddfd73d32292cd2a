"""The item page: facts, links, indicators with their chart, evidence, one timeline."""

from app.extensions import db
from app.items import services as item_services
from tests.factories import SYSTEM, make_item, make_org, make_user, set_status
from tests.helpers import login


def test_detail_shows_text_source_links_and_who_acts(client):
    source = item_services.create_source(
        SYSTEM, key="brief", title="The brief", citation="NUPI Policy Brief 19 (2015)"
    )
    lead, helper = make_org("LEADO"), make_org("HELPO")
    owner = make_user("staff", organisation=lead, name="Awa Owner")
    challenge = make_item(lead=lead, kind="challenge", title="A challenge", code="C9")
    item = make_item(
        lead=lead,
        supporting=[helper],
        owner=owner,
        title="Do the thing",
        text="First line.\nSecond line.",
        source=source,
        source_section="Recommendations",
        links=[challenge],
        due_date="2030-01-31",
    )
    login(client, make_user("viewer"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Do the thing" in html
    assert "First line.\nSecond line." in html
    assert "NUPI Policy Brief 19 (2015)" in html
    assert "Recommendations" in html
    assert "C9 A challenge" in html
    assert "LEADO" in html
    assert "HELPO" in html
    assert "Awa Owner" in html
    assert "31 Jan 2030" in html
    assert html.count("<h1") == 1
    other = client.get(f"/items/{challenge.id}").get_data(as_text=True)
    assert "Addressed by" in other
    assert "Do the thing" in other


def test_unknown_or_non_numeric_ids_are_404(client):
    login(client, make_user("viewer"))
    assert client.get("/items/999999").status_code == 404
    assert client.get("/items/abc").status_code == 404
    assert client.get("/items/99999999999999").status_code == 404


def test_indicator_chart_is_inline_svg_with_title_and_table(client):
    item = make_item()
    indicator = item_services.create_indicator(
        SYSTEM,
        item,
        name="Police <deployed>",
        unit="officers",
        baseline_value=1052,
        baseline_date="2015-02-28",
        target_value=1440,
    )
    item_services.record_measurement(SYSTEM, indicator, value=1100, measured_on="2015-06-01")
    login(client, make_user("viewer"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert '<svg class="chart"' in html
    assert "<title id=" in html
    assert "Police &lt;deployed&gt;" in html
    assert "Police <deployed>" not in html
    assert "<polyline" in html
    assert "Target 1,440" in html
    assert "1,100" in html
    assert '<th scope="row">' in html


def test_timeline_merges_updates_comments_and_field_changes_with_names(client):
    first, second = make_org("FIRST"), make_org("SECOND")
    manager = make_user("manager", organisation=first, name="Mariam Manager")
    item = make_item(lead=first, title="Timeline item", due_date="2030-01-01")
    set_status(item, "in_progress", actor=manager, note="Started in Gao", progress=10)
    item_services.add_comment(manager, item, "Looks **good** <script>x()</script>")
    item_services.edit_item(
        manager, item, item.version, lead=second, owner=manager, due_date="2030-06-30"
    )
    db.session.flush()
    login(client, make_user("viewer"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    history = html.split('id="history"')[1]
    assert "Started in Gao" in history
    assert "Mariam Manager" in history
    assert "<strong>good</strong>" in history
    assert "<script>x()" not in history
    assert "Lead organisation" in history
    assert "FIRST" in history
    assert "SECOND" in history
    assert "<strong>Owner</strong>: <del>—</del> → <ins>Mariam Manager</ins>" in history
    assert "30 Jun 2030" in history
    assert "Created the item." in history
    # Newest first: the assignment comes before the comment, the comment before the update.
    assert history.index("SECOND") < history.index("<strong>good") < history.index("Gao")


def test_viewer_sees_no_forms_and_staff_only_where_involved(client):
    org = make_org()
    item = make_item(lead=org)
    login(client, make_user("viewer"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    for action in ("/updates", "/comments", "/evidence", "/edit"):
        assert f'/items/{item.id}{action}"' not in html
    client.post("/logout")
    outsider = make_user("staff")
    client2 = client.application.test_client()
    login(client2, outsider)
    html = client2.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'/items/{item.id}/comments"' in html
    assert f'/items/{item.id}/updates"' not in html
    assert f'/items/{item.id}/edit"' not in html
    insider = client.application.test_client()
    login(insider, make_user("staff", organisation=org))
    html = insider.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'/items/{item.id}/updates"' in html
    assert f'/items/{item.id}/evidence"' in html
    assert "verified" not in html.split('id="u-status"')[1].split("</select>")[0]


def test_staff_sees_only_allowed_transitions_with_note_marks(client):
    org = make_org()
    item = make_item(lead=org)
    login(client, make_user("staff", organisation=org))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    options = html.split('id="u-status"')[1].split("</select>")[0]
    assert 'value="in_progress"' in options
    assert 'value="blocked"' in options
    assert "Blocked †" in options
    assert 'value="not_accepted"' not in options
    # Nothing is chosen for the user: a careless submit must not change the status.
    assert '<option value="">' in options
    assert " selected" not in options


def test_markdown_is_rendered_then_sanitised():
    from app.core.markdown import render_markdown

    html = str(
        render_markdown(
            "# T\n\n*a* <b onclick=x>b</b> [j](javascript:alert(1)) "
            "[ok](https://example.org)\n\n<script>bad()</script>"
        )
    )
    assert "<em>a</em>" in html
    assert "<script" not in html
    assert "<b " not in html
    assert "<h4>T</h4>" in html
    assert "<h1" not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">ok</a>' in html
    assert str(render_markdown("")) == ""


def test_chart_escapes_text_and_handles_empty_series():
    from datetime import date

    from app.items.charts import indicator_svg

    svg = str(indicator_svg(chart_id="c1", title="</title><script>x</script>", points=[]))
    assert svg.startswith("<svg")
    assert "<script>" not in svg
    assert "&lt;/title&gt;" in svg
    svg = str(
        indicator_svg(
            chart_id="c2",
            title="Flat",
            points=[(date(2015, 1, 1), 5.0)],
            target=(None, 5.0),
            labels={"baseline": "Base", "target": "Cible"},
        )
    )
    assert "<circle" in svg
    assert "Cible 5" in svg


def test_chart_numbers_follow_the_readers_language(client):
    item = make_item()
    item_services.create_indicator(
        SYSTEM, item, name="Police", baseline_value=1052, target_value=1440
    )
    login(client, make_user("viewer", language="fr"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    svg = html.split('<svg class="chart"')[1].split("</svg>")[0]
    assert "1\u202f440" in svg
    assert "1,440" not in svg


def test_item_pages_have_one_h1_unique_ids_and_balanced_tags(client):
    from html.parser import HTMLParser

    void = {"meta", "link", "input", "br", "hr", "img", "col", "area", "base", "source", "wbr"}

    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.ids, self.h1, self.bad = [], [], 0, []

        def handle_starttag(self, tag, attrs):
            self.ids += [v for k, v in attrs if k == "id"]
            self.h1 += tag == "h1"
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if tag in void:
                return
            if self.stack and self.stack[-1] == tag:
                self.stack.pop()
            else:
                self.bad.append(tag)

    org = make_org()
    item = make_item(lead=org, due_date="2020-01-01")
    indicator = item_services.create_indicator(SYSTEM, item, name="People", target_value=5)
    item_services.record_measurement(SYSTEM, indicator, value=2, measured_on="2024-01-01")
    manager = make_user("manager", organisation=org)
    comment = item_services.add_comment(manager, item, "- a\n- b")
    set_status(item, "in_progress")
    login(client, manager)
    for path in [
        "/items",
        "/my-work",
        f"/items/{item.id}",
        f"/items/{item.id}/edit",
        "/items/new",
        f"/indicators/{indicator.id}/edit",
        f"/items/{item.id}/indicators/new",
        f"/comments/{comment.id}/edit",
        "/items?status=nope",
    ]:
        check = Check()
        check.feed(client.get(path).get_data(as_text=True))
        assert check.h1 == 1, path
        assert len(check.ids) == len(set(check.ids)), path
        assert not check.stack, (path, check.stack)
        assert not check.bad, (path, check.bad)
