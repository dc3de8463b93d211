/**
 * nginx as the equivalent reverse proxy: `workers` worker processes (1 = the single-worker comparison), keep-alive to the upstream, HTTP/1.1, the same
 * forwarding headers the gateway adds, a request id echoed to the client, and an access log line per
 * request written in batches as the gateway writes its own (every 50 ms or 64 KiB): an unbuffered log would cost
 * nginx a write a request (~1 µs of CPU on this VM, where a system call's round trip alone is ~1 µs) that the
 * gateway does not pay.
 */
export interface NginxOptions {
  /** One process, no master (`master_process off`), notices on stderr: how the instruction count runs it. */
  singleProcess?: boolean;
  accessLog?: boolean;
}

export function nginxConfig(dir: string, listenPort: number, upstreamPort: number, workers = 1, options: NginxOptions = {}): string {
  const { singleProcess = false, accessLog = true } = options;
  return `
worker_processes ${workers};
daemon off;
${singleProcess ? 'master_process off;' : ''}
pid ${dir}/nginx.pid;
error_log ${singleProcess ? 'stderr notice' : `${dir}/error.log warn`};
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format edge escape=json '{"time":"$time_iso8601","requestId":"$request_id","method":"$request_method",'
    '"host":"$host","path":"$uri","status":$status,"bytes":$body_bytes_sent,"durationMs":$request_time,"client":"$remote_addr"}';
  access_log ${accessLog ? `${dir}/access.log edge buffer=64k flush=50ms` : 'off'};
  keepalive_timeout 60s;
  keepalive_requests 1000000;
  upstream backend {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${listenPort};
    server_name bench.cloud.localhost;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Request-ID $request_id;
      add_header X-Request-ID $request_id;
    }
  }
}
`;
}
