# The peers bench's work done through Visdom: a producer calling the Visdom client and a
# page-like client on the server's websocket (what Visdom's page listens to), in one
# process. Prints `calling` when the paced calls start (the bench samples the server from
# then on), then one JSON line: the calls' durations and each update's delay from the call
# to its arrival at the websocket, in ms.
#
#   visdom-work.py PORT scatter POINTS SECONDS RATE
#   visdom-work.py PORT line SECONDS RATE
import json
import sys
import threading
import time

import numpy as np
import websocket
from visdom import Visdom

port = int(sys.argv[1])
work = sys.argv[2]

arrivals = []  # (arrival time s, message) for every window message
socket = websocket.create_connection(f'ws://127.0.0.1:{port}/socket')
registered = threading.Event()


def listen():
    while True:
        try:
            message = socket.recv()
        except Exception:
            return
        arrived = time.time()
        if '"register"' in message[:40]:
            registered.set()
        elif message.startswith('{"command": "window'):
            arrivals.append((arrived, message))


threading.Thread(target=listen, daemon=True).start()
registered.wait(10)
vis = Visdom(server='http://127.0.0.1', port=port, use_incoming_socket=False, raise_exceptions=True)

calls = []
delays = []


def paced(seconds, rate, call):
    print('calling', flush=True)
    started = time.time()
    i = 0
    while time.time() - started < seconds:
        before = time.time()
        call(i, before)
        calls.append((time.time() - before) * 1000)
        i += 1
        time.sleep(max(0.0, started + i / rate - time.time()))


if work == 'scatter':
    points, seconds, rate = int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    data = np.random.rand(points, 2).astype(np.float32)
    # The send time rides in the title: the window message carries it back.
    paced(seconds, rate, lambda i, sent: vis.scatter(X=data, win='cloud', opts={'title': repr(sent), 'markersize': 2}))
    time.sleep(1.0)
    for arrived, message in arrivals:
        window = json.loads(message)
        if window.get('command') == 'window' and window.get('id') == 'cloud':
            delays.append((arrived - float(window['title'])) * 1000)
else:
    seconds, rate = float(sys.argv[3]), float(sys.argv[4])
    vis.line(Y=[0.0], X=[time.time() * 1000], win='sent')
    arrivals.clear()
    # Each step's x is its send time in ms: the window_update's patch carries it back.
    paced(seconds, rate, lambda i, sent: vis.line(Y=[float(i)], X=[sent * 1000], win='sent', update='append'))
    time.sleep(1.0)
    for arrived, message in arrivals:
        for op in json.loads(message).get('content', []):
            if isinstance(op, dict) and op.get('path', '').startswith('/content/data/0/x/'):
                delays.append(arrived * 1000 - op['value'])

socket.close()
print(json.dumps({'calls': calls, 'delays': delays}))
