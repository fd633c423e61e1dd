#!/usr/bin/env python3
"""nexlint's performance figures (spec §8), measured against `xmllint --noout` on the same files.

Generates a deterministic corpus of realistic NexJ configuration repositories, then runs the
commands side by side in alternating order and prints medians, ratios and peak memory:

  1. nexlint lint --jobs 1        vs xmllint --noout   (target: at most 1.3x)
  2. nexlint lint (default jobs)  vs xmllint --noout   (target: at most 0.75x)
  3. nexlint lint on five files                        (target: under 50 ms)
  4. peak RSS on 10,000 files                          (target: under 64 MB)
  5. peak RSS on one 40 MB environment                 (a small multiple of its size)
  6. hostile files of 40,000 items (spec §7): undefined `${…}` references on channels, and
     suppression comments, against 40,000 plain channels       (target: at most 2x); the same
     references on the root element, refused past 512 attributes (libxml2's own pairwise
     attribute check makes xmllint --noout quadratic there; printed beside it), and in tags of
     511 attributes, the worst that bound leaves
     and the property fan-out and glob blow-ups of issue 13   (bounded: a fraction of a second)
  7. findings at scale (spec §8 v2): finding-heavy corpora of 3,000 and 30,000 legacy
     environments (~15 findings a file: reversible passwords, a third of the Exchange channels
     on Basic); per format the time, its ratio to xmllint, the cost per finding over the floor
     (the run with the reporting rules ignored) and peak RSS   (targets: at most 1 µs a finding,
     under 64 MB; on 3,000 files --jobs 1 at most 1.3x and default jobs at most 0.75x xmllint)

Usage: Benchmarks/benchmark.py [--files N] [--rounds R] [--binary PATH] [--keep DIR]
                               [--heavy 3000,30000] [--only-heavy]
Build first: swift build -c release. Needs xmllint (Debian: libxml2-utils); peak RSS needs GNU
time (Debian: time), run as /usr/bin/time.
These are whole-process wall times on a shared machine: quote the medians and the ratios.
"""
import argparse
import json
import os
import random
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time

TENANT = "6f1d2c3b-4a5e-4f60-9b7c-8d9e0a1b2c3d"
APP = "0b4c7a9e-3f21-4d8a-9c65-2e7f1a0b3d4c"
CHANNEL_KINDS = ["MessageQueueConnection", "MailConnection", "HTTPConnection", "FileConnection",
                 "TCPConnection", "UDPConnection"]


def exchange_channel(rng, index):
    """An Exchange Online channel: mostly correct OAuth, some Basic, some with a problem."""
    roll = rng.random()
    url = "https://outlook.office365.com/EWS/Exchange.asmx"
    if roll < 0.3:
        return (f'      <HTTPConnection channel="ExchangeEWSSender{index}" url="{url}" secure="true"\n'
                f'         user="svc.sync{index}@contoso.com" password="text:Winter{index}!"/>\n')
    problem = rng.choice(["none", "none", "secure", "component", "user", "url"])
    secure = "" if problem == "secure" else ' secure="true"'
    component = "rpc:System.Authentication.OAuth" if problem == "component" else "rpc:System.Authentication.EXO"
    user = f"svc.sync{index}@contoso.com" if problem == "user" else f"{APP}:svc.sync{index}@contoso.com"
    if problem == "url":
        url = "http://outlook.office365.com/ews/exchange.asmx"
    return (f'      <HTTPConnection channel="ExchangeEWSSender{index}"\n'
            f'         url="{url}"{secure}\n'
            f'         authentication="custom" authComponent="{component}"\n'
            f'         user="{user}"\n'
            f'         password="master:{rng.getrandbits(96):024x}" maxSenders="{rng.randint(2, 40)}"/>\n')


def channel(rng, kind, index):
    name = f"{kind.replace('Connection', '')}{index}"
    if kind == "MessageQueueConnection":
        return (f'      <MessageQueueConnection channel="{name}" destination="queue/{name.lower()}" '
                f'factory="ConnectionFactory" maxSenders="{rng.randint(1, 8)}" '
                f'description="Integration queue {index} of the order and account synchronisation"/>\n')
    if kind == "MailConnection":
        return (f'      <MailConnection channel="{name}" host="smtp{index % 3}.contoso.local" port="25" '
                f'from="crm-{index}@contoso.com" user="mailer" password="master:{rng.getrandbits(64):016x}"/>\n')
    if kind == "HTTPConnection":
        return (f'      <HTTPConnection channel="{name}" url="https://partner{index}.example.com/api/v{rng.randint(1, 3)}"\n'
                f'         secure="true" authentication="{rng.choice(["none", "basic", "certificate"])}" '
                f'readTimeout="${{http.timeout:30000}}" connectionTimeout="10000"/>\n')
    if kind == "FileConnection":
        return f'      <FileConnection channel="{name}" incomingDirectory="/data/in/{index}" processedDirectory="/data/done/{index}"/>\n'
    return f'      <{kind} channel="{name}" host="10.0.{index % 250}.{rng.randint(1, 250)}" port="{rng.randint(1024, 65000)}"/>\n'


def environment(rng, number, exchange):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<!-- Environment {number}: generated for the nexlint benchmark. Deployment notes, owners\n'
           '     and change history usually live in comments like this one. -->\n',
           f'<Environment type="{rng.choice(["Generic", "JBoss", "WebSphere"])}" description="CRM environment {number}"\n'
           f'   httpURL="https://crm{number}.contoso.com/nexj/" secureTransport="true" test="{rng.choice(["true", "false"])}"\n']
    if exchange:
        out.append(f'   exo.tokenURL="https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"\n')
    out.append('   location="Toronto" password="master:AAECAwQFBgcICQoLDA0ODw==">\n')
    out.append('   <DataSourceConnections>\n')
    for index in range(rng.randint(3, 8)):
        out.append(f'      <RelationalDatabaseConnection dataSource="DataSource{index}" adapter="{rng.choice(["MSSQL", "Oracle", "DB2"])}"\n'
                   f'         host="sql{index:02d}.contoso.local" database="crm{number}_{index}" user="crm_app"\n'
                   f'         password="master:{rng.getrandbits(128):032x}" minPoolSize="1" maxPoolSize="{rng.randint(10, 60)}"/>\n')
    out.append('   </DataSourceConnections>\n   <ChannelConnections>\n')
    for index in range(rng.randint(15, 40)):
        if index % 7 == 0:
            out.append(f'      <!-- {rng.choice(["Partner integrations", "Queues for the ESB", "Mail relays"])} -->\n')
        out.append(channel(rng, rng.choice(CHANNEL_KINDS), index))
    if exchange:
        out.append(exchange_channel(rng, number))
    out.append('   </ChannelConnections>\n   <SOAConnections>\n')
    for index in range(rng.randint(1, 4)):
        out.append(f'      <SOAConnection service="Service{index}" binding="soap" url="https://soa.contoso.local/svc/{index}"/>\n')
    out.append('   </SOAConnections>\n</Environment>\n')
    return "".join(out)


def sync_targets(number):
    return ('<SyncTargets>\n'
            f'   <SyncTarget name="ExchangeOnline" type="ExchangeEWS" host="outlook.office365.com" version="Exchange Online"\n'
            f'      method="Impersonation" subscriptionType="Streaming" ewsSender="ExchangeEWSSender{number}"/>\n'
            '</SyncTargets>\n')


def write_environment(directory, number, text):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"crm{number:05d}.environment")
    with open(path, "w") as file:
        file.write(text)
    return path


def generate(root, count, seed=7):
    """count environment files in directories of 40, with sync targets in some directories."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        directory = os.path.join(root, f"region{number // 40:03d}")
        exchange = rng.random() < 0.6
        paths.append(write_environment(directory, number, environment(rng, number, exchange)))
        if number % 40 == 0 and exchange:
            with open(os.path.join(directory, "exchange.synctargets"), "w") as file:
                file.write(sync_targets(number))
    return paths


def heavy_environment(rng, number):
    """A legacy environment as a first run finds it: reversible passwords on the root and the
    data sources, nine Exchange Online channels of which a third are still on Basic."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           f'<Environment type="Generic" description="Legacy CRM environment {number}"\n'
           f'   httpURL="https://crm{number}.contoso.com/nexj/" secureTransport="true"\n'
           f'   exo.tokenURL="https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"\n'
           f'   password="text:Root{number}!" keystorePassword="text:Keys{number}">\n   <DataSourceConnections>\n']
    for index in range(6):
        out.append(f'      <RelationalDatabaseConnection dataSource="DataSource{index}" adapter="MSSQL"\n'
                   f'         host="sql{index:02d}.contoso.local" user="crm_app" password="text:Db{number}x{index}"/>\n')
    out.append('   </DataSourceConnections>\n   <ChannelConnections>\n')
    for index in range(rng.randint(4, 10)):
        out.append(channel(rng, rng.choice(CHANNEL_KINDS), index))
    for index in range(9):
        url = "https://outlook.office365.com/EWS/Exchange.asmx"
        if index % 3 == 0:
            out.append(f'      <HTTPConnection channel="ExchangeEWSSender{index}" url="{url}" secure="true"\n'
                       f'         user="svc.sync{index}@contoso.com" password="text:Winter{number}x{index}"/>\n')
        else:
            out.append(f'      <HTTPConnection channel="ExchangeEWSSender{index}" url="{url}" secure="true"\n'
                       f'         authentication="custom" authComponent="rpc:System.Authentication.EXO"\n'
                       f'         user="{APP}:svc.sync{index}@contoso.com" password="master:{rng.getrandbits(96):024x}"\n'
                       f'         maxSenders="{rng.randint(2, 40)}"/>\n')
    out.append('   </ChannelConnections>\n</Environment>\n')
    return "".join(out)


def generate_heavy(root, count, seed=5):
    """count finding-heavy environments in directories of 40."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        paths.append(write_environment(os.path.join(root, f"legacy{number // 40:04d}"), number, heavy_environment(rng, number)))
    return paths


def generate_large(path, megabytes, seed=11):
    """One environment of about `megabytes` MB: a very large ChannelConnections section."""
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    with open(path, "w") as file:
        file.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<Environment type="Generic" '
                   f'exo.tokenURL="https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token">\n   <ChannelConnections>\n')
        index = 0
        while file.tell() < target:
            file.write(channel(rng, rng.choice(CHANNEL_KINDS), index))
            index += 1
        file.write(exchange_channel(rng, 1))
        file.write('   </ChannelConnections>\n</Environment>\n')


def hostile_files(root, count=40000):
    """Files whose work grew with the square of their size or exponentially before it was bounded."""
    os.makedirs(root, exist_ok=True)
    files = {
        "channels.environment": "<Environment type=\"Generic\">\n<ChannelConnections>\n"
        + "".join(f'<MailConnection channel="Mail{i}" host="smtp{i}.contoso.com"/>\n' for i in range(count))
        + "</ChannelConnections>\n</Environment>\n",
        # On the root (libxml2 checks an element's attributes for duplicates pairwise, so
        # parsing this file is quadratic in libxml2 itself: nexlint refuses tags past 512
        # attributes before parsing) and spread over channels.
        "references.environment": "<Environment type=\"Generic\"\n"
        + "".join(f' a{i}="${{undefined{i}}}"\n' for i in range(count)) + "/>\n",
        # The same references in tags of 511, just under the bound: the worst libxml2's
        # pairwise check can still cost per byte.
        "bound.environment": "<Environment type=\"Generic\">\n<ChannelConnections>\n"
        + "".join(f'<MailConnection channel="Mail{t}"' + "".join(f' a{i}="${{undefined{i}}}"' for i in range(511)) + "/>\n"
                  for t in range(count // 511))
        + "</ChannelConnections>\n</Environment>\n",
        "channel-references.environment": "<Environment type=\"Generic\">\n<ChannelConnections>\n"
        + "".join(f'<MailConnection channel="Mail{i}" host="${{undefined{i}}}"/>\n' for i in range(count))
        + "</ChannelConnections>\n</Environment>\n",
        "comments.environment": "<Environment type=\"Generic\">\n"
        + "".join(f"<!-- nexlint-disable-next-line EXO002: reason {i} -->\n" for i in range(count)) + "</Environment>\n",
        "fan-out.environment": "<Environment type=\"Generic\"\n"
        + "".join(f' p{i}="${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}${{p{i + 1}}}"\n' for i in range(16))
        + ' p16="x">\n<ChannelConnections>\n<HTTPConnection channel="EWS" url="${p0}"/>\n</ChannelConnections>\n</Environment>\n',
    }
    for name, text in files.items():
        with open(os.path.join(root, name), "w") as handle:
            handle.write(text)
    glob = os.path.join(root, "glob")
    os.makedirs(glob, exist_ok=True)
    with open(os.path.join(glob, ".nexlint.yml"), "w") as handle:
        handle.write('exclude:\n  - "*a*a*a*a*a*a*a*a*a*a*a*a*b"\n')
    with open(os.path.join(glob, "a" * 40 + ".environment"), "w") as handle:
        handle.write("<Environment/>\n")
    return files


def elapsed(command, cwd):
    """Wall seconds of one whole process."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed_with_peak(command, cwd):
    """Wall seconds and peak RSS (MiB) of one run, both from GNU time (peak None without it).
    The rusage a Python parent gets for its child counts the parent's own memory (fork copies
    it before exec), so the command runs under GNU time, a small process whose child's peak is
    the command's own."""
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        return elapsed(command, cwd), None
    with tempfile.NamedTemporaryFile("r") as report:
        subprocess.run([gnu_time, "-f", "%e %M", "-o", report.name] + command, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds, kilobytes = report.read().split()[-2:]
        return float(seconds), int(kilobytes) / 1024.0


def peak_rss(command, cwd):
    """Peak RSS (MiB) of one run, or None without GNU time."""
    return timed_with_peak(command, cwd)[1]


def show(peak):
    return "n/a (needs GNU time)" if peak is None else f"{peak:.1f} MiB"


def shuffled_rounds(commands, rounds):
    """The commands' names, round by round, each round in its own order: on a shared machine a
    command always run right after another would inherit its caches, or its neighbour's burst
    of load, every time. The order is shuffled with a fixed seed, so that two runs of the script
    time the commands alike."""
    order = random.Random(1)
    for round_number in range(rounds):
        names = list(commands)
        order.shuffle(names)
        yield round_number, names


def settle():
    """Writes out what generating a corpus left dirty in the page cache (tens of megabytes)
    before anything is timed, so that the kernel's own writeback of it (some 30 seconds later)
    does not fall in the rounds. A precaution: compared side by side, rounds right after
    generating and rounds after this differed by less than the machine's own noise."""
    os.sync()


def cpu_ticks():
    """(steal, total) CPU ticks of the whole machine so far, from /proc/stat; None elsewhere.
    Steal is time the hypervisor gave this machine's virtual CPUs to others: on a shared host it
    comes and goes, and the ratios move with it (xmllint loses it too, but not in the same
    rounds), so each table says how much there was while it was measured."""
    try:
        with open("/proc/stat") as stat_file:
            fields = [int(value) for value in stat_file.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def steal_note(before):
    """What `cpu_ticks` says of the time since `before` was taken (empty without /proc/stat)."""
    after = cpu_ticks()
    if before is None or after is None or after[1] == before[1]:
        return ""
    return f"hypervisor steal while measured: {100 * (after[0] - before[0]) / (after[1] - before[1]):.1f}% of CPU time"


def ratios(times, reference):
    """Each round's time over the reference command's time in the same round."""
    return [time / base for time, base in zip(times, reference)]


def middle_half(values):
    """The interquartile range, as text: how far single rounds stray, which says how much a
    median of them can be trusted on a noisy machine."""
    if len(values) < 2:
        return "-"
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return f"{low:.2f}-{high:.2f}"


def compare(commands, cwd, rounds):
    """Runs the commands round after round (after one warm-up round), in `shuffled_rounds`."""
    results = {name: [] for name in commands}
    for round_number, names in shuffled_rounds(commands, rounds + 1):
        for name in names:
            seconds = elapsed(commands[name], cwd)
            if round_number > 0:
                results[name].append(seconds)
    return results


FORMATS = ["text", "json", "junit", "sarif", "github"]


def findings_at_scale(binary, xmllint, work, counts, rounds):
    """Spec §8 v2: a first run on a legacy repository, ~15 findings a file. Each format's cost per
    finding is its time over the floor (the same run with the rules that report here ignored),
    divided by the findings, taken round by round (a format's run against the floor's run of the
    same round) and then the median; its ratio to xmllint likewise. Larger corpora run three
    rounds (in `shuffled_rounds`), each timing a command and taking its peak RSS
    at once (highest peak)."""
    for count in counts:
        root = os.path.join(work, f"heavy-{count}")
        shutil.rmtree(root, ignore_errors=True)
        relative = sorted(os.path.relpath(p, root) for p in generate_heavy(root, count))
        settle()
        run = subprocess.run([binary, "lint", "--format", "json", "--fail-on", "never", "."], cwd=root,
                             capture_output=True, check=True)
        findings = json.loads(run.stdout)["findings"]
        reporting = ",".join(sorted({finding["rule"] for finding in findings}))
        lint = [binary, "lint", "--quiet", "--fail-on", "never"]
        commands = {"xmllint --noout": [xmllint, "--noout"] + relative,
                    "floor, --jobs 1": lint + ["--jobs", "1", "--ignore", reporting, "."]}
        for name in FORMATS:
            commands[f"{name}, --jobs 1"] = lint + ["--jobs", "1", "--format", name, "."]
        commands["json, default jobs"] = lint + ["--format", "json", "."]
        ticks = cpu_ticks()
        if count <= 3000:
            rounds_run = compare(commands, root, rounds)
            steal = steal_note(ticks)
            peaks = {name: peak_rss(command, root) for name, command in commands.items()}
        else:
            measured = {name: [] for name in commands}
            for _, names in shuffled_rounds(commands, 3):
                for name in names:
                    measured[name].append(timed_with_peak(commands[name], root))
            rounds_run = {name: [seconds for seconds, _ in runs] for name, runs in measured.items()}
            steal = steal_note(ticks)
            peaks = {name: None if runs[0][1] is None else max(peak for _, peak in runs) for name, runs in measured.items()}
        print(f"\nfindings at scale: {count:,} files, {len(findings):,} findings ({reporting}); "
              f"{'median of ' + str(rounds) + ' rounds' if count <= 3000 else 'median of 3 rounds'}; "
              "ratio and µs/finding are medians of each round's own (the commands of a round run "
              "side by side); middle half: the middle half of the rounds' ratios")
        print(f"{'command':<22}{'ms':>10}{'ratio':>8}{'middle half':>13}{'µs/finding':>12}{'peak MiB':>10}")
        floor = rounds_run["floor, --jobs 1"]
        for name, runs in rounds_run.items():
            each = ratios(runs, rounds_run["xmllint --noout"])
            over = "" if name in ("xmllint --noout", "floor, --jobs 1") or "default" in name else \
                f"{statistics.median((t - f) / len(findings) * 1e6 for t, f in zip(runs, floor)):.2f}"
            peak = "n/a" if peaks[name] is None else f"{peaks[name]:.1f}"
            print(f"{name:<22}{statistics.median(runs) * 1000:>10.1f}{statistics.median(each):>8.2f}"
                  f"{middle_half(each):>13}{over:>12}{peak:>10}")
        if steal:
            print(steal)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "nexlint"))
    parser.add_argument("--keep", help="generate the corpus here and keep it")
    parser.add_argument("--heavy", default="3000,30000",
                        help="file counts of the finding-heavy corpora (comma-separated; empty: none)")
    parser.add_argument("--only-heavy", action="store_true", help="measure the finding-heavy corpora only")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not found: run `swift build -c release` first")
    xmllint = shutil.which("xmllint")
    if not xmllint:
        sys.exit("xmllint not found (Debian: apt-get install libxml2-utils)")

    # Reports are discarded into /dev/null. Some containers replace it with a regular file: every
    # report's bytes are then written to that file, and their cost is in the figures.
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
        print(f"note: {os.devnull} is not a character device here: reports are written to it, "
              "and the figures include writing them")
    work = args.keep or tempfile.mkdtemp(prefix="nexlint-benchmark-")
    heavy = [int(count) for count in args.heavy.split(",") if count]
    if args.only_heavy:
        findings_at_scale(binary, xmllint, work, heavy, args.rounds)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        return
    corpus = os.path.join(work, "corpus")
    shutil.rmtree(corpus, ignore_errors=True)
    paths = generate(corpus, args.files)
    settle()
    relative = sorted(os.path.relpath(p, corpus) for p in paths)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"corpus: {len(paths)} environments, {size / 1e6:.1f} MB, in {corpus}")
    print(f"machine: {os.cpu_count()} cores; rounds: {args.rounds} (alternating, after one warm-up)")

    commands = {
        "xmllint --noout": [xmllint, "--noout"] + relative,
        "nexlint --jobs 1": [binary, "lint", "--quiet", "--jobs", "1", "."],
        "nexlint (default jobs)": [binary, "lint", "--quiet", "."],
    }
    ticks = cpu_ticks()
    results = compare(commands, corpus, args.rounds)
    steal = steal_note(ticks)
    print(f"\n{'command':<26}{'median ms':>11}{'min ms':>9}{'ratio':>8}{'middle half':>13}{'peak MiB':>10}")
    for name, times in results.items():
        # The median of each round's ratio: rounds run side by side share the machine's mood.
        each = ratios(times, results["xmllint --noout"])
        peak = peak_rss(commands[name], corpus)
        print(f"{name:<26}{statistics.median(times) * 1000:>11.1f}{min(times) * 1000:>9.1f}{statistics.median(each):>8.2f}"
              f"{middle_half(each):>13}{'n/a' if peak is None else f'{peak:.1f}':>10}")
    if steal:
        print(steal)

    five = relative[:5]
    small = compare({"five files": [binary, "lint", "--quiet"] + five}, corpus, max(args.rounds, 15))
    print(f"\nnexlint on five files: median {statistics.median(small['five files']) * 1000:.1f} ms")

    many = os.path.join(work, "many")
    shutil.rmtree(many, ignore_errors=True)
    generate(many, 10000, seed=3)
    print(f"peak RSS on 10,000 files: {show(peak_rss([binary, 'lint', '--quiet', '.'], many))}")

    large = os.path.join(work, "large.environment")
    generate_large(large, 40)
    print(f"peak RSS on one {os.path.getsize(large) / 1e6:.0f} MB environment: "
          f"{show(peak_rss([binary, 'lint', '--quiet', large], work))} "
          f"(xmllint --noout: {show(peak_rss([xmllint, '--noout', large], work))})")

    hostile = os.path.join(work, "hostile")
    hostile_files(hostile)
    settle()
    runs = compare({name: [binary, "lint", "--quiet", "--fail-on", "never", name]
                    for name in ["channels.environment", "references.environment", "bound.environment", "channel-references.environment",
                                 "comments.environment", "fan-out.environment", "glob"]}, hostile, args.rounds)
    base = statistics.median(runs["channels.environment"])
    # xmllint once on each file: libxml2's own cost (its pairwise check of one element's
    # attributes makes the root-attribute file quadratic in libxml2 itself, xmllint included).
    parsed = {name: elapsed([xmllint, "--noout", name], hostile) for name in runs if name.endswith(".environment")}
    print("\nhostile input, median ms (ratio to 40,000 channels; xmllint --noout on the same file, ms):")
    for name, times in runs.items():
        reference = f"{parsed[name] * 1000:>10.1f}" if name in parsed else f"{'-':>10}"
        print(f"  {name:<32}{statistics.median(times) * 1000:>9.1f}{statistics.median(times) / base:>8.2f}{reference}")
    findings_at_scale(binary, xmllint, work, heavy, args.rounds)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
