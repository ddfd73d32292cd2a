"""Where a request's time goes: the request run in process under pyinstrument (a statistical
profiler), warm, several times, its commits rolled back so that it leaves no trace."""

from app.bench.scenarios import Fixture, Scenario


def profile_text(app, fixture: Fixture, scenario: Scenario, repeat: int) -> str:
    """pyinstrument's text report of ``repeat`` warm runs of ``scenario``."""
    from pyinstrument import Profiler

    from app.bench import rawsql
    from app.bench.runner import in_process_login

    client = app.test_client()
    with rawsql.rolled_back(app):
        in_process_login(client)
        headers = {"Authorization": f"Bearer {fixture.token}"} if scenario.auth == "api" else {}

        def once():
            method, path, body = scenario.make(fixture)
            response = client.open(path, method=method, json=body, headers=headers, buffered=True)
            response.get_data()
            return response.status_code

        once()  # warm
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(repeat):
            once()
        profiler.stop()
    return profiler.output_text(color=False, time="percent_of_total")
