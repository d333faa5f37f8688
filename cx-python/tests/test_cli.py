"""The ``cxkit`` command line, run as a subprocess: reports, tables, JSON, and one-line errors."""

import json
import pathlib
import subprocess
import sys

import pandas as pd
import pytest

import cxkit

ROOT = pathlib.Path(__file__).resolve().parents[2]
SURVEY = ROOT / "examples" / "data" / "survey.csv"
SCRIPT = pathlib.Path(sys.executable).parent / "cxkit"


def run(*args, cwd=None, script=False):
    cmd = [str(SCRIPT)] if script else [sys.executable, "-m", "cxkit"]
    return subprocess.run(
        [*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def assert_one_line_error(proc, code, pattern):
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("cxkit: error: ")
    assert pattern in lines[0], lines[0]


@pytest.fixture(scope="module")
def survey():
    return pd.read_csv(SURVEY)


def test_console_script_is_installed():
    assert SCRIPT.exists(), "the cxkit console script is installed with the package"
    proc = run("--version", script=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"cxkit {cxkit.__version__}"


def test_report_from_csv(tmp_path):
    out = tmp_path / "sub" / "report.html"
    proc = run(
        "report", SURVEY, "--score", "nps", "--by", "region,channel", "--date", "date",
        "--out", out, script=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and "NPS by channel" in doc
    assert proc.stdout.strip().endswith(f"wrote {out}")
    assert "Headline: NPS was +15.9 points" in proc.stdout


def test_report_from_parquet_with_json(tmp_path, survey):
    pq = tmp_path / "survey.parquet"
    survey.to_parquet(pq)
    out = tmp_path / "r.html"
    proc = run("report", pq, "--by", "region", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["path"] == str(out)
    assert list(payload["readings"]) == ["headline", "distribution", "segments-region"]
    assert "survey.parquet: 20,000 responses" in out.read_text(encoding="utf-8")


def test_nps_overall_table_and_json(survey):
    proc = run("nps", SURVEY)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(cxkit.nps(survey["nps"]))

    proc = run("nps", SURVEY, "--by", "region")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[0].split()[:4] == ["region", "n", "estimate", "lower"]
    expected = cxkit.nps_by(survey, "nps", "region")
    assert [line.split()[0] for line in lines[2:]] == list(expected["region"])
    west = next(line for line in lines if line.startswith("West"))
    row = expected.set_index("region").loc["West"]
    assert f"{row['estimate']:+.1f}" in west and f"{row['n']:,}" in west  # NPS points

    proc = run("nps", SURVEY, "--by", "region", "--json")
    records = json.loads(proc.stdout)
    assert [r["region"] for r in records] == list(expected["region"])
    assert [r["estimate"] for r in records] == pytest.approx(list(expected["estimate"]))

    proc = run("nps", SURVEY, "--json")
    assert cxkit.Nps.from_json(proc.stdout) == cxkit.nps(survey["nps"])


def test_csat_ces_and_trend(survey):
    proc = run("csat", SURVEY, "--by", "channel")
    assert proc.returncode == 0, proc.stderr
    assert "%" in proc.stdout
    proc = run("ces", SURVEY, "--date", "date", "--freq", "Q", "--json")
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    expected = cxkit.ces_by(survey, "ces", period="date", freq="Q", window=3)
    assert [r["date"] for r in records] == list(expected["date"])
    assert records[0]["date_start"] == "2024-10-01"
    assert [r["estimate"] for r in records] == pytest.approx(list(expected["estimate"]))


def test_errors_are_one_line(tmp_path):
    assert_one_line_error(run("nps", tmp_path / "nope.csv"), 1, "no such file:")
    assert_one_line_error(run("nps", SURVEY, "--by", "regio"), 1, "no column 'regio' (by=)")
    assert_one_line_error(run("report", SURVEY, "--date", "dat"), 1, "no column 'dat' (date=)")
    assert_one_line_error(run("report", SURVEY, "--score", "score"), 1, "no column 'score'")

    bad = tmp_path / "bad.csv"
    rows = ["nps,region"] + [f"{i % 11},a" for i in range(30)]
    rows[17] = "11,a"  # the 17th data row (line 18 of the file)
    bad.write_text("\n".join(rows) + "\n")
    assert_one_line_error(
        run("nps", bad),
        1,
        "column 'nps', row 17 (line 18 of bad.csv): value 11 is outside the scale 0..=10",
    )
    assert_one_line_error(run("report", bad, "--out", tmp_path / "x.html"), 1, "row 17")
    assert not (tmp_path / "x.html").exists()

    text = tmp_path / "text.csv"
    text.write_text("nps\n9\nten\n")
    proc = run("nps", text)
    assert_one_line_error(proc, 1, "nps")

    (tmp_path / "data.xlsx").write_text("x")
    assert_one_line_error(run("nps", tmp_path / "data.xlsx"), 2, "use a .csv or .parquet")
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    assert_one_line_error(run("nps", broken), 1, "cannot read")


def test_usage_errors_exit_2():
    for args in ([], ["nps"], ["frobnicate", "x.csv"], ["nps", str(SURVEY), "--level", "high"]):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert "Traceback" not in proc.stderr
    proc = run("nps", SURVEY, "--level", "1.5")
    assert_one_line_error(proc, 1, "invalid confidence level 1.5")


def test_main_in_process(capsys, tmp_path):
    from cxkit.cli import main

    assert main(["nps", str(SURVEY), "--by", "channel", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4
    assert main(["nps", str(tmp_path / "none.csv")]) == 1
    assert capsys.readouterr().err.startswith("cxkit: error: no such file")


def test_a_closed_pipe_is_not_an_error():
    # 12,000 groups (about 1 MB, more than a pipe holds) into `head -1`, which leaves early:
    # no error, no traceback
    cmd = f"{sys.executable} -m cxkit nps {SURVEY} --by customer_id --min-base 1 | head -1"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith("customer_id") and proc.stderr == ""
