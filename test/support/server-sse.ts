// Test helper: reads a Server-Sent Events stream with fetch, one event at a time.
export interface SseEvent {
  event: string;
  data: string;
}

export class SseStream {
  private buffer = '';
  private readonly events: SseEvent[] = [];
  private readonly decoder = new TextDecoder();
  /** Heartbeat comments seen. */
  comments = 0;

  private constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  /** Opens `url`, sending `headers` (e.g. Authorization or Cookie). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal, headers });
    if (response.status !== 200) throw new Error(`SSE ${url}: status ${response.status}: ${await response.text()}`);
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error('not an event stream');
    return new SseStream(response.body!.getReader(), controller);
  }

  /** The next event, waiting at most `ms`. */
  async next(ms = 5000): Promise<SseEvent> {
    const deadline = Date.now() + ms;
    while (this.events.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no SSE event in time');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no SSE event in time')), left)));
      const { value, done } = await Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (done) throw new Error('SSE stream ended');
      this.buffer += this.decoder.decode(value, { stream: true });
      this.parse();
    }
    return this.events.shift()!;
  }

  /** The next event's JSON data, checking its name. */
  async nextJson<T>(event: string, ms?: number): Promise<T> {
    const got = await this.next(ms);
    if (got.event !== event) throw new Error(`expected SSE event '${event}', got '${got.event}': ${got.data.slice(0, 200)}`);
    return JSON.parse(got.data) as T;
  }

  close(): void {
    this.controller.abort();
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments++;
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
    }
  }
}
