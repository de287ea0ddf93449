"""Cold start of the packaged function: process start to first response, through a Runtime API emulator, against
moto. Usage (from bench/cold-start.sh): cold_start.py MOTO_URL RUNS EVENT_JSON_FILE NAME=COMMAND..."""
import http.server, json, os, shlex, socketserver, statistics, subprocess, sys, threading, time, uuid

moto, runs, event_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
contenders = [a.split("=", 1) for a in sys.argv[4:]]
event = open(event_file, "rb").read()
world = json.load(open(os.environ["WORLD_FILE"]))


class Emulator(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    served: threading.Event  # each run subclasses with its own
    answered: threading.Event
    outcome = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.served.is_set():  # one event per process: park the loop's next poll
            time.sleep(3600)
        self.served.set()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", str(uuid.uuid4()))
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int((time.time() + 60) * 1000)))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:bench")
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
        self.send_header("Content-Length", str(len(event)))
        self.end_headers()
        self.wfile.write(event)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).outcome = (self.path.rsplit("/", 1)[-1], body.decode(errors="replace"))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.answered.set()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


env = {
    "PATH": os.environ["PATH"], "LANG": "en_US.UTF-8", "TZ": ":UTC",
    "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_ENDPOINT_URL": moto,
    "ADVISORY_TOPIC_ARN": world["topic"], "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
}
results = {}
for name, command in contenders:
    times, rss = [], []
    for _ in range(runs):
        # A Runtime API of its own per run, so that a killed process's last poll cannot take the next run's event.
        run = type("Run", (Emulator,), {"served": threading.Event(), "answered": threading.Event(), "outcome": None})
        server = Server(("127.0.0.1", 0), run)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        run_env = dict(env, LAMBDA_TASK_ROOT=os.path.dirname(command.split()[-1]), AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}")
        start = time.perf_counter()
        p = subprocess.Popen(shlex.split(command), env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if not run.answered.wait(120):
            p.kill(); sys.exit(f"{name}: no answer: {p.stderr.read().decode()[-2000:]}")
        times.append(time.perf_counter() - start)
        kind, body = run.outcome
        if kind != "response":
            p.kill(); sys.exit(f"{name}: {kind}: {body}")
        p.kill()
        _, _, usage = os.wait4(p.pid, 0)
        rss.append(usage.ru_maxrss / 1024)
        server.shutdown(); server.server_close()
    results[name] = (times, rss, json.loads(body).get("outcome"))

base = statistics.median(results[contenders[0][0]][0])
print(f"{'build':<16} {'outcome':<9} {'min s':>7} {'median s':>9} {'max s':>7} {'x ' + contenders[0][0]:>10} {'peak MiB':>9}")
for name, (times, rss, outcome) in results.items():
    m = statistics.median(times)
    print(f"{name:<16} {outcome:<9} {min(times):7.3f} {m:9.3f} {max(times):7.3f} {m / base:10.2f} {statistics.median(rss):9.0f}")
