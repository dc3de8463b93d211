/*
 * Batched socket I/O for the gateway's edge (src/edge/http/batched-io.ts says why and how it is used).
 *
 * Reads: one epoll set per JavaScript environment, watched from Node's event loop by a uv_poll_t. Each time it is
 * readable, every ready socket (up to MAX_EVENTS, level-triggered) is read into one shared buffer and JavaScript is
 * entered once for the whole batch with a table of the reads, instead of once a read as Node's handles do.
 * Writes: JavaScript queues them in a second shared buffer while it handles a batch and flushes them with one call,
 * which makes them back to back here.
 * The sockets stay Node's: this reads them only while JavaScript has asked it to (watch/unwatch, in place of the
 * handle's readStart/readStop) and writes only what JavaScript queued.
 *
 * JavaScript API:
 *   start(data: ArrayBuffer, reads: Int32Array, onBatch: (count) => void,
 *         out: ArrayBuffer, writes: Int32Array, failures: Int32Array)            once per environment
 *     reads: [id, offset, n] per read: n > 0 bytes at data[offset..], 0 end of stream, < 0 -errno.
 *   watch(fd, id) -> 0 | -errno; unwatch(fd) -> 0 | -errno          id: the caller's, a non-negative int32
 *   flush(count) -> failures
 *     makes the writes [fd, offset, length] queued in `writes` (bytes at out[offset..]), in order. A write the
 *     kernel does not take whole, and every later one to the same fd, is not retried but reported in `failures`
 *     as [index, written] (written: bytes taken, or -errno), so that JavaScript hands the rest to Node in order.
 */
#include <errno.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <uv.h>

#define MAX_EVENTS 256
/* One read takes at most this much, so one busy socket cannot starve the others in a batch. */
#define MAX_READ (64 * 1024)
/* Distinct fds whose writes a flush can set aside; past that every later write is set aside (still in order). */
#define MAX_FAILED_FDS 64

typedef struct {
  uint8_t *bytes;
  size_t length;
} region;

typedef struct {
  int32_t *records;
  size_t capacity; /* records of 3 or 2 int32 */
} table;

typedef struct {
  napi_env env;
  napi_ref refs[6];
  napi_ref on_batch;
  napi_async_context async_context;
  uv_poll_t poll;
  int epoll_fd;
  int watched;
  region data;
  table reads;
  region out;
  table writes;
  table failures;
} batch_state;

static batch_state *state_of(napi_env env) {
  void *state = NULL;
  napi_get_instance_data(env, &state);
  return (batch_state *)state;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  batch_state *s = (batch_state *)handle->data;
  if (status < 0) return;
  struct epoll_event ready[MAX_EVENTS];
  int n = epoll_wait(s->epoll_fd, ready, MAX_EVENTS, 0);
  if (n <= 0) return;
  int count = 0;
  size_t offset = 0;
  for (int i = 0; i < n && (size_t)count < s->reads.capacity; i++) {
    /* Level-triggered: whatever is not read now is reported again on the loop's next turn. */
    if (s->data.length - offset < 1024) break;
    int fd = (int)(uint32_t)(ready[i].data.u64 & 0xffffffffu);
    int32_t id = (int32_t)(ready[i].data.u64 >> 32);
    size_t room = s->data.length - offset;
    if (room > MAX_READ) room = MAX_READ;
    ssize_t got;
    do got = read(fd, s->data.bytes + offset, room);
    while (got < 0 && errno == EINTR);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    int32_t *record = s->reads.records + 3 * count;
    record[0] = id;
    record[1] = (int32_t)offset;
    record[2] = got < 0 ? -errno : (int32_t)got;
    if (got > 0) offset += (size_t)got;
    count++;
  }
  if (count == 0) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, receiver, argument, result;
  napi_get_reference_value(env, s->on_batch, &callback);
  napi_get_global(env, &receiver); /* napi_make_callback wants an object as the receiver */
  napi_create_int32(env, count, &argument);
  /* As Node enters JavaScript for a read (async hooks, then the nextTick queue and microtasks), once a batch. */
  if (napi_make_callback(env, s->async_context, receiver, callback, 1, &argument, &result) != napi_ok) {
    /* An exception thrown by the callback: the process's uncaughtException, as for any of Node's callbacks. */
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void finalize_state(napi_env env, void *data, void *hint) {
  (void)hint;
  batch_state *s = (batch_state *)data;
  uv_poll_stop(&s->poll);
  close(s->epoll_fd);
  napi_async_destroy(env, s->async_context);
  /* The poll handle's memory must outlive libuv's close of it: s is not freed at environment teardown (once). */
  uv_close((uv_handle_t *)&s->poll, NULL);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static bool buffer_argument(napi_env env, napi_value value, size_t at_least, region *out) {
  void *bytes;
  size_t length;
  if (napi_get_arraybuffer_info(env, value, &bytes, &length) != napi_ok || length < at_least) return false;
  out->bytes = (uint8_t *)bytes;
  out->length = length;
  return true;
}

static bool table_argument(napi_env env, napi_value value, size_t width, table *out) {
  napi_typedarray_type type;
  size_t length;
  void *records;
  if (napi_get_typedarray_info(env, value, &type, &length, &records, NULL, NULL) != napi_ok) return false;
  if (type != napi_int32_array || length < width) return false;
  out->records = (int32_t *)records;
  out->capacity = length / width;
  return true;
}

static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (state_of(env) != NULL) return throw_error(env, "batched I/O already started in this environment");
  if (argc < 6) return throw_error(env, "start(data, reads, onBatch, out, writes, failures)");
  batch_state *s = calloc(1, sizeof(batch_state));
  if (s == NULL) return throw_error(env, "out of memory");
  napi_valuetype callback_type;
  napi_typeof(env, argv[2], &callback_type);
  if (!buffer_argument(env, argv[0], MAX_READ, &s->data) || !table_argument(env, argv[1], 3, &s->reads) ||
      callback_type != napi_function || !buffer_argument(env, argv[3], 1, &s->out) ||
      !table_argument(env, argv[4], 3, &s->writes) || !table_argument(env, argv[5], 2, &s->failures) ||
      s->failures.capacity < s->writes.capacity) {
    free(s);
    return throw_error(env, "start(data: ArrayBuffer >= 64 KiB, reads: Int32Array, onBatch: function, out: ArrayBuffer, "
                            "writes: Int32Array, failures: Int32Array with a record for every write's)");
  }
  s->env = env;
  s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (s->epoll_fd < 0) {
    free(s);
    return throw_error(env, "epoll_create1 failed");
  }
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  if (uv_poll_init(loop, &s->poll, s->epoll_fd) != 0) {
    close(s->epoll_fd);
    free(s);
    return throw_error(env, "uv_poll_init failed");
  }
  s->poll.data = s;
  /* Only watched sockets keep the loop alive, as reading sockets do (watch refs it, the last unwatch unrefs). */
  uv_unref((uv_handle_t *)&s->poll);
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  for (int i = 0; i < 6; i++) napi_create_reference(env, argv[i], 1, &s->refs[i]);
  s->on_batch = s->refs[2];
  napi_value resource, name;
  napi_create_object(env, &resource);
  napi_create_string_utf8(env, "GatewayBatchedIo", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, resource, name, &s->async_context);
  napi_set_instance_data(env, s, finalize_state, NULL);
  return NULL;
}

static napi_value int_value(napi_env env, int32_t n) {
  napi_value value;
  napi_create_int32(env, n, &value);
  return value;
}

/* The int32 arguments of a call, all non-negative; false when one is missing or is not. */
static bool int_arguments(napi_env env, napi_callback_info info, size_t count, int32_t *values) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < count) return false;
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_int32(env, argv[i], &values[i]) != napi_ok || values[i] < 0) return false;
  }
  return true;
}

static napi_value watch(napi_env env, napi_callback_info info) {
  batch_state *s = state_of(env);
  int32_t args[2];
  if (s == NULL) return throw_error(env, "batched I/O not started");
  if (!int_arguments(env, info, 2, args)) return throw_error(env, "watch(fd, id): non-negative integers");
  struct epoll_event event = {.events = EPOLLIN, .data.u64 = ((uint64_t)(uint32_t)args[1] << 32) | (uint32_t)args[0]};
  int result = epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, args[0], &event) == 0 ? 0 : -errno;
  if (result == 0 && s->watched++ == 0) uv_ref((uv_handle_t *)&s->poll);
  return int_value(env, result);
}

static napi_value unwatch(napi_env env, napi_callback_info info) {
  batch_state *s = state_of(env);
  int32_t fd;
  if (s == NULL) return throw_error(env, "batched I/O not started");
  if (!int_arguments(env, info, 1, &fd)) return throw_error(env, "unwatch(fd): a non-negative integer");
  int result = epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, fd, NULL) == 0 ? 0 : -errno;
  if (result == 0 && --s->watched == 0) uv_unref((uv_handle_t *)&s->poll);
  return int_value(env, result);
}

static napi_value flush(napi_env env, napi_callback_info info) {
  batch_state *s = state_of(env);
  int32_t count;
  if (s == NULL) return throw_error(env, "batched I/O not started");
  if (!int_arguments(env, info, 1, &count) || (size_t)count > s->writes.capacity) {
    return throw_error(env, "flush(count): at most the writes table's records");
  }
  int failed_fds[MAX_FAILED_FDS];
  int failed_fd_count = 0;
  bool set_aside_all = false;
  int failures = 0;
  for (int32_t i = 0; i < count; i++) {
    const int32_t *record = s->writes.records + 3 * i;
    int fd = record[0];
    size_t offset = (size_t)(uint32_t)record[1];
    size_t length = (size_t)(uint32_t)record[2];
    bool set_aside = set_aside_all || offset > s->out.length || length > s->out.length - offset;
    for (int f = 0; f < failed_fd_count && !set_aside; f++) set_aside = failed_fds[f] == fd;
    ssize_t written = 0;
    if (!set_aside) {
      do written = write(fd, s->out.bytes + offset, length);
      while (written < 0 && errno == EINTR);
      if (written == (ssize_t)length) continue;
      if (written < 0) written = -errno;
      if (failed_fd_count < MAX_FAILED_FDS) failed_fds[failed_fd_count++] = fd;
      else set_aside_all = true;
    }
    if ((size_t)failures < s->failures.capacity) {
      s->failures.records[2 * failures] = i;
      s->failures.records[2 * failures + 1] = (int32_t)written;
      failures++;
    }
  }
  return int_value(env, failures);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor methods[] = {
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"watch", NULL, watch, NULL, NULL, NULL, napi_default, NULL},
      {"unwatch", NULL, unwatch, NULL, NULL, NULL, napi_default, NULL},
      {"flush", NULL, flush, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(methods) / sizeof(methods[0]), methods);
  return exports;
}
