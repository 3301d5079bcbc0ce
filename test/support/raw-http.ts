import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request (a GET unless told) over a real socket with headers fetch will not send as given (Host): what a
 * browser sends after a DNS rebinding, or a client reaching the server by another name.
 */
export function rawGet(url: string, headers: Record<string, string>, { method = 'GET', body }: { method?: string; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
