;; The common request and response heads, checked byte by byte (head-scanner.ts is the interface and says why).
;; Assembled into head-scanner-wasm.ts by `npx tsx tools/build/assemble-wasm.ts`; a test fails when the two differ.
;;
;; Memory (36 pages, all there from the start: growing it would detach the views head-scanner.ts holds; laid out
;; by head-scanner.ts):
;;   [0, 256)        byte classes: 1 tchar, 2 request field value, 4 response field value, 8 request target,
;;                   16 host name (RFC 3986 reg-name), 32 upper-case letter, 64 a target byte the path check
;;                   looks at ('%', '.', '/', '?', '\\')
;;   [256, 260)      the request target's first '?', or -1
;;   [260, 512)      what emitResponse writes besides the head's own bytes, set once by head-scanner.ts: at 260 the
;;                   length of "X-Request-ID: <minted ids' prefix>" and at 264 its bytes; at 320 "\r\nTransfer-Encoding:
;;                   chunked" (28 bytes); at 352 "\r\nConnection: close" (19 bytes)
;;   [376, 384)      the Host value of the last request head read, (from, to) offsets into the input
;;   [384, 432)      the X-Request-Deadline line as heads.ts writes it: its length at 384, its bytes at 388
;;   [432, 436)      1 when the last request target's path may be internal or needs normalising (internal-path.ts:
;;                   it holds '%', '\\', '//' or '/.', or starts '/internal' then '/' or its end, in any case), else 0
;;   [448, 480)      the tchar tables of the name scan ($fields): at 448 one byte per low nibble, at 464 one per high
;;                   nibble; a byte is a tchar when its two entries share a bit (set by head-scanner.ts)
;;   [512, 1024)     the kept parts of the last head read, (from, to) pairs of offsets into the input (64 pairs): a
;;                   response's status line and fields not dropped; a request's start line, then its fields not dropped
;;   [1024, 5120)    line table: the index of each line's CR, the start line's first (1024 entries)
;;   [5120, 6144)    known field names by length and first letter: (length << 5 | first byte & 31) -> id, 0 none
;;   [6144, 7168)    each line's field id (0: not a known name; the start line's entry is unused)
;;   [7168, 8192)    known field names, lower case, id i at 7168 + 32 * i (ids 1 to 31)
;;   [8192, 65536)   the bytes to scan, then a NUL (small socket reads land at 8192 itself: head-scanner.ts), then
;;                   at least sixteen bytes that $valueEnd's loads may read
;;   [65536, 73728)  the response emitResponse builds
;;   [73728, 81920)  the request emitRequest builds
;;   [81920, 82432)  the connection's forwarding fields for emitRequest (ConnectionForwarding.bytes in heads.ts)
;;   [83968, 86016)  the digits of recent minted ids ($putId: 64 slots of 32 bytes)
;;   [86016, 90112)  Host values read lately (host-values.ts): 16 slots of 256 bytes, each value at most 248 bytes
;;   [131072, 196608) the access log's batch of lines (logLine appends to it; access-log.ts writes others and takes
;;                   them out)
;;   [196608, 197888) what logLine copies into every line, set by access-log.ts: at 196608 '{"time":"' and the
;;                   current second, 29 bytes; from 196640 the constant part after the time up to the request id's
;;                   quote, as a length (i32) and then its bytes (at most 188); from 196864 '","route":...,"bytes":'
;;                   of the current route and status (at most 508); from 197376 ',"client":"...' and '}\n' of the
;;                   current client (at most 252), from 197632 the same with the cache field
;;   [197888, 197952) constant pieces of the log line (the data segments below)
;;   [262144, 2359296) 8192 log slots of 256 bytes: each the part of one request's log line read from its head
;;                   ('","method":"...","host":"...","path":"...'), as a length (i32) and then its bytes (at most 236)
;; Each scan export takes the number of bytes at 8192 and returns the index of the empty line's CR (the head's lines
;; end just before it) when they start with a whole common head, or -1. It first writes a NUL after the bytes: no
;; class holds NUL and no check takes it, so every byte loop stops there without comparing against the length;
;; only the checks of several bytes at fixed offsets compare against it, as they read past the loops' ends.
(module
  (memory (export "memory") 36)
  (data (i32.const 197888) ",\"durationMs\":")
  (data (i32.const 197904) "\",\"method\":\"")
  (data (i32.const 197920) "\",\"host\":\"")
  (data (i32.const 197936) "\",\"path\":\"")

  ;; The id of the known field name at $start, $length bytes long, in any letter case; 0 for any other name. The
  ;; name's bytes are compared with their 0x20 bit set: only a letter's two cases fold onto a lower-case letter, and
  ;; only CR (no token byte) onto '-', so the comparison is exact for names of letters and '-'.
  (func $fieldId (param $start i32) (param $length i32) (result i32)
    (local $id i32) (local $name i32) (local $j i32) (local $last i32)
    (if (i32.ge_u (local.get $length) (i32.const 32)) (then (return (i32.const 0))))
    (local.set $id
      (i32.load8_u offset=5120
        (i32.or
          (i32.shl (local.get $length) (i32.const 5))
          (i32.and (i32.load8_u offset=8192 (local.get $start)) (i32.const 31)))))
    (if (i32.eqz (local.get $id)) (then (return (i32.const 0))))
    (local.set $name (i32.add (i32.const 7168) (i32.shl (local.get $id) (i32.const 5))))
    (if (i32.lt_u (local.get $length) (i32.const 4))
      (then
        (loop $byte
          (if (i32.ne
                (i32.or (i32.load8_u offset=8192 (i32.add (local.get $start) (local.get $j))) (i32.const 0x20))
                (i32.load8_u (i32.add (local.get $name) (local.get $j))))
            (then (return (i32.const 0))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $byte (i32.lt_u (local.get $j) (local.get $length))))
        (return (local.get $id))))
    ;; Four bytes at a time, the last four (overlapping) last.
    (local.set $last (i32.sub (local.get $length) (i32.const 4)))
    (block $words
      (loop $word
        (br_if $words (i32.ge_u (local.get $j) (local.get $last)))
        (if (i32.ne
              (i32.or (i32.load offset=8192 (i32.add (local.get $start) (local.get $j))) (i32.const 0x20202020))
              (i32.load (i32.add (local.get $name) (local.get $j))))
          (then (return (i32.const 0))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $word)))
    (if (i32.ne
          (i32.or (i32.load offset=8192 (i32.add (local.get $start) (local.get $last))) (i32.const 0x20202020))
          (i32.load (i32.add (local.get $name) (local.get $last))))
      (then (return (i32.const 0))))
    (local.get $id))

  ;; The index of the first byte after $i that is not of value class $value (2 or 4), sixteen bytes a step: a
  ;; request value byte is HTAB or any byte from SP but DEL, a response value byte any but CR, LF and NUL. The NUL
  ;; after the input stops it; the loads read up to sixteen bytes beyond that NUL (head-scanner.ts leaves the room).
  (func $valueEnd (param $i i32) (param $value i32) (result i32)
    (local $v v128) (local $bits i32)
    (loop $chunk
      (local.set $v (v128.load offset=8193 (local.get $i)))
      (local.set $bits
        (i8x16.bitmask
          (if (result v128) (i32.eq (local.get $value) (i32.const 4))
            (then
              (v128.or
                (v128.or
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13)))
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
                (i8x16.eq (local.get $v) (v128.const i64x2 0 0))))
            (else
              (v128.or
                (v128.andnot
                  (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32)))
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 9))))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 127))))))))
      (if (i32.eqz (local.get $bits))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $chunk))))
    (i32.add (i32.add (local.get $i) (i32.const 1)) (i32.ctz (local.get $bits))))

  ;; Header lines from $i until the empty line; $count lines are in the table already. Each line is a token, ':'
  ;; and bytes of class $value up to its CRLF.
  (func $fields (param $i i32) (param $value i32) (param $count i32) (result i32)
    (local $c i32) (local $start i32) (local $id i32) (local $low v128) (local $high v128) (local $v v128) (local $bits i32)
    (local.set $low (v128.load (i32.const 448)))
    (local.set $high (v128.load (i32.const 464)))
    (loop $line
      (local.set $start (local.get $i))
      (local.set $c (i32.load8_u offset=8192 (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 13))
        (then
          (if (i32.ne (i32.load8_u offset=8193 (local.get $i)) (i32.const 10)) (then (return (i32.const -1))))
          (return (local.get $i))))
      ;; The name: one or more tchar, then ':'. After the first, sixteen bytes a step: a byte is a tchar when the
      ;; table entries of its low and of its high nibble share a bit (head-scanner.ts builds the tables from the
      ;; classes); the NUL after the input is none, and the loads read at most sixteen bytes beyond it.
      (if (i32.eqz (i32.and (i32.load8_u (local.get $c)) (i32.const 1))) (then (return (i32.const -1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (loop $name
        (local.set $v (v128.load offset=8192 (local.get $i)))
        (local.set $bits
          (i8x16.bitmask
            (i8x16.eq
              (v128.and
                (i8x16.swizzle (local.get $low) (v128.and (local.get $v) (i8x16.splat (i32.const 15))))
                (i8x16.swizzle (local.get $high) (i8x16.shr_u (local.get $v) (i32.const 4))))
              (v128.const i64x2 0 0))))
        (if (i32.eqz (local.get $bits))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $name))))
      (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $bits))))
      (if (i32.ne (i32.load8_u offset=8192 (local.get $i)) (i32.const 58)) (then (return (i32.const -1))))
      (local.set $id (call $fieldId (local.get $start) (i32.sub (local.get $i) (local.get $start))))
      ;; The value, then CRLF.
      (local.set $i (call $valueEnd (local.get $i) (local.get $value)))
      (local.set $c (i32.load8_u offset=8192 (local.get $i)))
      (if (i32.ne (local.get $c) (i32.const 13)) (then (return (i32.const -1))))
      (if (i32.ne (i32.load8_u offset=8193 (local.get $i)) (i32.const 10)) (then (return (i32.const -1))))
      (if (i32.ge_u (local.get $count) (i32.const 1024)) (then (return (i32.const -1))))
      (i32.store offset=1024 (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
      (i32.store8 offset=6144 (local.get $count) (local.get $id))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $line))
    (i32.const -1))

  ;; A request: upper-case letters (head-scanner.ts's caller checks the method itself), ' /', target bytes, then
  ;; ' HTTP/1.0' or ' HTTP/1.1' and CRLF.
  (func (export "scanRequest") (param $len i32) (result i32)
    (local $i i32) (local $c i32) (local $query i32) (local $start i32) (local $class i32) (local $odd i32)
    (i32.store8 offset=8192 (local.get $len) (i32.const 0))
    (local.set $query (i32.const -1))
    (loop $method
      (local.set $c (i32.load8_u offset=8192 (local.get $i)))
      (if (i32.le_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 25))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $method))))
    (if (i32.or (i32.eqz (local.get $i)) (i32.ne (local.get $c) (i32.const 32))) (then (return (i32.const -1))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.ne (i32.load8_u offset=8192 (local.get $i)) (i32.const 47)) (then (return (i32.const -1))))
    (local.set $start (local.get $i))
    ;; The path (up to the first '?') is odd when it holds '%', '\', '//' or '/.': bytes of class 64 get a look.
    (loop $target
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $c (i32.load8_u offset=8192 (local.get $i)))
      (local.set $class (i32.load8_u (local.get $c)))
      (if (i32.and (local.get $class) (i32.const 8))
        (then
          (if (i32.and (i32.ne (i32.and (local.get $class) (i32.const 64)) (i32.const 0)) (i32.lt_s (local.get $query) (i32.const 0)))
            (then
              (if (i32.eq (local.get $c) (i32.const 63))
                (then (local.set $query (local.get $i)))
                (else
                  (if (i32.or
                        (i32.or (i32.eq (local.get $c) (i32.const 37)) (i32.eq (local.get $c) (i32.const 92)))
                        (i32.eq (i32.load8_u offset=8191 (local.get $i)) (i32.const 47)))
                    (then (local.set $odd (i32.const 1))))))))
          (br $target))))
    ;; A path starting '/internal' in any letter case, then '/' or its end, is odd too (the eight letters are read as
    ;; one word with their 0x20 bits set: only a letter's two cases fold onto a lower-case letter).
    (if (i32.and
          (i64.eq
            (i64.or (i64.load offset=8193 (local.get $start)) (i64.const 0x2020202020202020))
            (i64.const 0x6c616e7265746e69))
          (i32.or
            (i32.or
              (i32.eq (i32.load8_u offset=8201 (local.get $start)) (i32.const 47))
              (i32.eq (i32.load8_u offset=8201 (local.get $start)) (i32.const 63)))
            (i32.eq (i32.load8_u offset=8201 (local.get $start)) (i32.const 32))))
      (then (local.set $odd (i32.const 1))))
    (i32.store (i32.const 432) (local.get $odd))
    ;; ' HTTP/1.' then '0' or '1', CR, LF: 11 bytes from the space.
    (if (i32.gt_u (i32.add (local.get $i) (i32.const 11)) (local.get $len)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load offset=8192 (local.get $i)) (i32.const 0x54544820)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load offset=8196 (local.get $i)) (i32.const 0x2e312f50)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.load8_u offset=8200 (local.get $i)) (i32.const 48)) (i32.const 1)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load16_u offset=8201 (local.get $i)) (i32.const 0x0a0d)) (then (return (i32.const -1))))
    (i32.store (i32.const 256) (local.get $query))
    (i32.store (i32.const 1024) (i32.add (local.get $i) (i32.const 9)))
    (call $fields (i32.add (local.get $i) (i32.const 11)) (i32.const 2) (i32.const 1)))

  ;; A response: 'HTTP/1.0 ' or 'HTTP/1.1 ', a status from 100 to 999, optionally a space and a reason (any byte
  ;; but CR, LF and NUL), CRLF.
  (func (export "scanResponse") (param $len i32) (result i32)
    (local $i i32) (local $c i32)
    (i32.store8 offset=8192 (local.get $len) (i32.const 0))
    (if (i32.lt_u (local.get $len) (i32.const 14)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load (i32.const 8192)) (i32.const 0x50545448)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load16_u (i32.const 8196)) (i32.const 0x312f)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (i32.const 8198)) (i32.const 46)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.load8_u (i32.const 8199)) (i32.const 48)) (i32.const 1)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (i32.const 8200)) (i32.const 32)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.load8_u (i32.const 8201)) (i32.const 49)) (i32.const 8)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.load8_u (i32.const 8202)) (i32.const 48)) (i32.const 9)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.load8_u (i32.const 8203)) (i32.const 48)) (i32.const 9)) (then (return (i32.const -1))))
    (local.set $i (i32.const 12))
    (local.set $c (i32.load8_u (i32.const 8204)))
    (if (i32.eq (local.get $c) (i32.const 32))
      (then
        (loop $reason
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $c (i32.load8_u offset=8192 (local.get $i)))
          (br_if $reason (i32.and (i32.load8_u (local.get $c)) (i32.const 4))))))
    (if (i32.ne (local.get $c) (i32.const 13)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u offset=8193 (local.get $i)) (i32.const 10)) (then (return (i32.const -1))))
    (i32.store (i32.const 1024) (local.get $i))
    (call $fields (i32.add (local.get $i) (i32.const 2)) (i32.const 4) (i32.const 1)))
;; Writes $n's decimal digits at $out (as JavaScript prints an integer below 2^53); returns the index after them.
  ;; Counted first, then written from the last; the divisors are constants, which the compiler turns into multiplications.
  (func $putDecimal (param $out i32) (param $n i64) (result i32)
    (local $m i64) (local $end i32)
    (local.set $m (local.get $n))
    (local.set $end (local.get $out))
    (loop $count
      (local.set $end (i32.add (local.get $end) (i32.const 1)))
      (local.set $m (i64.div_u (local.get $m) (i64.const 10)))
      (br_if $count (i64.ne (local.get $m) (i64.const 0))))
    (local.set $out (local.get $end))
    (loop $digit
      (local.set $out (i32.sub (local.get $out) (i32.const 1)))
      (i32.store8 (local.get $out) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10)))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $n) (i64.const 0))))
    (local.get $end))

  ;; Writes the minted request id number $id's base-36 digits (as toString(36), request-id.ts) at $out; returns the
  ;; index after them. One id is written three times (the head sent upstream, the response, the log line), so the
  ;; digits of recent ids are kept at 83968 in 64 slots of 32 bytes by the id's low bits (the id at +0, the number of
  ;; digits at +8, the digits from +16) and copied as sixteen bytes; an id is never 0, so a zeroed slot holds none.
  ;; Otherwise counted first, then written from the last, and kept.
  (func $putId (param $out i32) (param $id f64) (result i32)
    (local $n i64) (local $m i64) (local $end i32) (local $d i32) (local $slot i32)
    (local.set $n (i64.trunc_f64_u (local.get $id)))
    (local.set $slot (i32.add (i32.const 83968) (i32.shl (i32.and (i32.wrap_i64 (local.get $n)) (i32.const 63)) (i32.const 5))))
    (if (i64.eq (i64.load (local.get $slot)) (local.get $n))
      (then
        (v128.store (local.get $out) (v128.load offset=16 (local.get $slot)))
        (return (i32.add (local.get $out) (i32.load offset=8 (local.get $slot))))))
    (local.set $m (local.get $n))
    (local.set $end (local.get $out))
    (loop $count
      (local.set $end (i32.add (local.get $end) (i32.const 1)))
      (local.set $m (i64.div_u (local.get $m) (i64.const 36)))
      (br_if $count (i64.ne (local.get $m) (i64.const 0))))
    (local.set $m (local.get $n))
    (local.set $out (local.get $end))
    (loop $digit
      (local.set $out (i32.sub (local.get $out) (i32.const 1)))
      (local.set $d (i32.wrap_i64 (i64.rem_u (local.get $m) (i64.const 36))))
      (i32.store8 (local.get $out)
        (i32.add (local.get $d) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (local.set $m (i64.div_u (local.get $m) (i64.const 36)))
      (br_if $digit (i64.ne (local.get $m) (i64.const 0))))
    (i64.store (local.get $slot) (local.get $n))
    (i32.store offset=8 (local.get $slot) (i32.sub (local.get $end) (local.get $out)))
    (v128.store offset=16 (local.get $slot) (v128.load (local.get $out)))
    (local.get $end))

  ;; Copies $n bytes from $src to $dst, regions that do not overlap, and returns $dst + $n. Short copies go sixteen
  ;; bytes a step and may write up to fifteen bytes past $dst + $n (and read as far past $src + $n): every caller's
  ;; output has that room, and what lands there is overwritten or lies beyond the length it returns. memory.copy is
  ;; a call out of the module (~25 instructions, gateway-instructions.ts --top) that short copies need not pay.
  (func $copy (param $dst i32) (param $src i32) (param $n i32) (result i32)
    (local $i i32)
    (if (i32.ge_u (local.get $n) (i32.const 128))
      (then
        (memory.copy (local.get $dst) (local.get $src) (local.get $n))
        (return (i32.add (local.get $dst) (local.get $n)))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $step)))
    (i32.add (local.get $dst) (local.get $n)))

  ;; Copies kept parts $first to $parts - 1 (pairs at 512, offsets into the input) to $out; returns the index after them.
  (func $putParts (param $out i32) (param $first i32) (param $parts i32) (result i32)
    (local $k i32) (local $from i32) (local $d i32)
    (local.set $k (local.get $first))
    (block $done
      (loop $part
        (br_if $done (i32.ge_u (local.get $k) (local.get $parts)))
        (local.set $from (i32.load offset=512 (i32.shl (local.get $k) (i32.const 3))))
        (local.set $d (i32.sub (i32.load offset=516 (i32.shl (local.get $k) (i32.const 3))) (local.get $from)))
        (local.set $out (call $copy (local.get $out) (i32.add (local.get $from) (i32.const 8192)) (local.get $d)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $part)))
    (local.get $out))

  ;; The head to send upstream, built at 73728 from the request head last read (heads.ts upstreamRequestHead, for a
  ;; request without a body whose target goes unchanged): its start line (kept part 0), the connection's forwarding
  ;; fields ($forHost bytes at 81920: X-Forwarded-For and -Proto, then X-Forwarded-Host's name), the Host value (at
  ;; 376), the rest of them ($toId bytes: X-Real-IP, then X-Request-ID's name), the id's prefix and $id in base 36,
  ;; the deadline line (at 384), the kept fields (parts 1 to $parts - 1) and the empty line. Returns its length.
  (func (export "emitRequest") (param $parts i32) (param $id f64) (param $forHost i32) (param $toId i32) (result i32)
    (local $out i32) (local $from i32) (local $d i32)
    (local.set $out (call $putParts (i32.const 73728) (i32.const 0) (i32.const 1)))
    (local.set $out (call $copy (local.get $out) (i32.const 81920) (local.get $forHost)))
    (local.set $from (i32.load (i32.const 376)))
    (local.set $d (i32.sub (i32.load (i32.const 380)) (local.get $from)))
    (local.set $out (call $copy (local.get $out) (i32.add (local.get $from) (i32.const 8192)) (local.get $d)))
    (local.set $out (call $copy (local.get $out) (i32.add (i32.const 81920) (local.get $forHost)) (local.get $toId)))
    ;; The prefix of the id: what follows "X-Request-ID: " in the response's id line.
    (local.set $out (call $copy (local.get $out) (i32.const 278) (i32.sub (i32.load (i32.const 260)) (i32.const 14))))
    (local.set $out (call $putId (local.get $out) (local.get $id)))
    (local.set $out (call $copy (local.get $out) (i32.const 388) (i32.load (i32.const 384))))
    (local.set $out (call $putParts (local.get $out) (i32.const 1) (local.get $parts)))
    (i32.store16 (local.get $out) (i32.const 0x0a0d))
    (i32.sub (i32.add (local.get $out) (i32.const 2)) (i32.const 73728)))

  ;; The response to send the client, built at 65536 from the response head last scanned (whose bytes are still in
  ;; the input): its kept parts ($parts pairs at 512: the status line and the fields not dropped), X-Request-ID with
  ;; the minted id $id (the prefix at 264, then $id in base 36, as request-id.ts writes it), the framing fields
  ;; ($flags: 1 Transfer-Encoding: chunked, 2 Connection: close), the empty line and the body at [$bodyFrom, $bodyTo)
  ;; of the input. Returns its length; the caller made sure it fits.
  (func (export "emitResponse") (param $parts i32) (param $id f64) (param $flags i32) (param $bodyFrom i32) (param $bodyTo i32) (result i32)
    (local $out i32) (local $d i32)
    (local.set $out (call $putParts (i32.const 65536) (i32.const 0) (local.get $parts)))
    (local.set $out (call $copy (local.get $out) (i32.const 264) (i32.load (i32.const 260))))
    (local.set $out (call $putId (local.get $out) (local.get $id)))
    (if (i32.and (local.get $flags) (i32.const 1))
      (then (local.set $out (call $copy (local.get $out) (i32.const 320) (i32.const 28)))))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then (local.set $out (call $copy (local.get $out) (i32.const 352) (i32.const 19)))))
    (i32.store (local.get $out) (i32.const 0x0a0d0a0d))
    (local.set $out (i32.add (local.get $out) (i32.const 4)))
    (local.set $d (i32.sub (local.get $bodyTo) (local.get $bodyFrom)))
    (i32.sub (call $copy (local.get $out) (i32.add (local.get $bodyFrom) (i32.const 8192)) (local.get $d)) (i32.const 65536)))

  ;; The Host value at [$from, $to) of the head last scanned, where the byte at $to is none of a host name's (the
  ;; value's trailing whitespace or its line's CR, so the name's loop stops by itself): host-name bytes, then
  ;; optionally ':' and at most five digits. Returns where the name ends (its ':' or $to), plus 65536 when the name
  ;; holds an upper-case letter; -1 for anything else.
  (func (export "hostName") (param $from i32) (param $to i32) (result i32)
    (local $i i32) (local $class i32) (local $seen i32) (local $end i32)
    (local.set $i (local.get $from))
    (block $name
      (loop $byte
        (local.set $class (i32.load8_u (i32.load8_u offset=8192 (local.get $i))))
        (br_if $name (i32.eqz (i32.and (local.get $class) (i32.const 16))))
        (local.set $seen (i32.or (local.get $seen) (local.get $class)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (local.set $end (local.get $i))
    (if (i32.lt_u (local.get $i) (local.get $to))
      (then
        (if (i32.ne (i32.load8_u offset=8192 (local.get $i)) (i32.const 58)) (then (return (i32.const -1))))
        (if (i32.gt_u (i32.sub (local.get $to) (local.get $i)) (i32.const 6)) (then (return (i32.const -1))))
        (loop $digit
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.lt_u (local.get $i) (local.get $to))
            (then
              (if (i32.gt_u (i32.sub (i32.load8_u offset=8192 (local.get $i)) (i32.const 48)) (i32.const 9))
                (then (return (i32.const -1))))
              (br $digit))))))
    ;; Class bit 32 (an upper-case letter) becomes 65536.
    (i32.or (local.get $end) (i32.shl (i32.and (local.get $seen) (i32.const 32)) (i32.const 11))))

  ;; Whether the input's $length bytes at $from equal the $length bytes at $at (1 or 0), eight bytes a step, the last
  ;; eight (overlapping) last; fewer than eight are compared as one masked word. Both are read up to eight bytes past
  ;; their ends: the input has its NUL and room after it, a Host value slot eight bytes more than a value takes.
  (func (export "sameBytes") (param $from i32) (param $at i32) (param $length i32) (result i32)
    (local $i i32) (local $last i32)
    (if (i32.lt_u (local.get $length) (i32.const 8))
      (then
        (return
          (i64.eqz
            (i64.and
              (i64.xor (i64.load offset=8192 (local.get $from)) (i64.load (local.get $at)))
              (i64.sub
                (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $length) (i32.const 3))))
                (i64.const 1)))))))
    (local.set $last (i32.sub (local.get $length) (i32.const 8)))
    (block $words
      (loop $word
        (br_if $words (i32.ge_u (local.get $i) (local.get $last)))
        (if (i64.ne
              (i64.load offset=8192 (i32.add (local.get $from) (local.get $i)))
              (i64.load (i32.add (local.get $at) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $word)))
    (i64.eq
      (i64.load offset=8192 (i32.add (local.get $from) (local.get $last)))
      (i64.load (i32.add (local.get $at) (local.get $last)))))

  ;; The top bit of each byte of $w that is zero set, and no other bit, when every byte of $w is below 0x80.
  (func $zeroBytes (param $w i64) (result i64)
    (i64.and
      (i64.sub (local.get $w) (i64.const 0x0101010101010101))
      (i64.and (i64.xor (local.get $w) (i64.const -1)) (i64.const 0x8080808080808080))))

  ;; Keeps the part of the access log line that comes from the request head last read in log slot $slot, while that
  ;; head is still in the input: '","method":"', the method (its first $methodLen bytes), '","host":"', the host
  ;; name ($hostLen bytes at $hostFrom, lower-cased), '","path":"', the path (from after the method's space to
  ;; $pathEnd). Returns 1, or 0 when the path holds '"' or a backslash (JSON escapes them; the scanner let no other
  ;; byte that needs it into a target) or the part would not fit its slot.
  (func (export "keepLogRequest") (param $slot i32) (param $methodLen i32) (param $pathEnd i32) (param $hostFrom i32) (param $hostLen i32) (result i32)
    (local $base i32) (local $out i32) (local $i i32) (local $c i32) (local $w i64)
    ;; 32 bytes of names and quotes, the method, the host and the path ($pathEnd - $methodLen - 1 bytes): at most
    ;; 236, so that $copy's sixteen-byte steps stay inside the slot.
    (if (i32.gt_u (i32.add (local.get $hostLen) (local.get $pathEnd)) (i32.const 205)) (then (return (i32.const 0))))
    (local.set $base (i32.add (i32.const 262144) (i32.shl (local.get $slot) (i32.const 8))))
    (local.set $out (call $copy (i32.add (local.get $base) (i32.const 4)) (i32.const 197904) (i32.const 12)))
    (local.set $out (call $copy (local.get $out) (i32.const 8192) (local.get $methodLen)))
    (local.set $out (call $copy (local.get $out) (i32.const 197920) (i32.const 10)))
    ;; The host, eight bytes a step (its slot has room for the bytes past its end, which the path's name overwrites): a
    ;; host name byte is ASCII, so adding 0x3f or 0x25 to each sets its top bit when it is at least 'A' or beyond
    ;; 'Z', and never carries into the next byte but from a byte past the name's end, into later ones.
    (block $host
      (loop $word
        (br_if $host (i32.ge_u (local.get $i) (local.get $hostLen)))
        (local.set $w (i64.load offset=8192 (i32.add (local.get $hostFrom) (local.get $i))))
        (i64.store (i32.add (local.get $out) (local.get $i))
          (i64.or (local.get $w)
            (i64.shr_u
              (i64.and
                (i64.and (i64.add (local.get $w) (i64.const 0x3f3f3f3f3f3f3f3f))
                  (i64.xor (i64.add (local.get $w) (i64.const 0x2525252525252525)) (i64.const -1)))
                (i64.const 0x8080808080808080))
              (i64.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $word)))
    (local.set $out (call $copy (i32.add (local.get $out) (local.get $hostLen)) (i32.const 197936) (i32.const 10)))
    ;; The path: eight bytes a step while they are the path's, looking for '"' and backslash (the bytes are ASCII,
    ;; so a byte equal to one is a zero byte of the word xor-ed with it, which the usual test finds), then bytewise.
    (local.set $i (i32.add (local.get $methodLen) (i32.const 1)))
    (block $words
      (loop $word
        (br_if $words (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $pathEnd)))
        (local.set $w (i64.load offset=8192 (local.get $i)))
        (if (i64.ne (i64.or (call $zeroBytes (i64.xor (local.get $w) (i64.const 0x2222222222222222)))
                            (call $zeroBytes (i64.xor (local.get $w) (i64.const 0x5c5c5c5c5c5c5c5c))))
                    (i64.const 0))
          (then (return (i32.const 0))))
        (i64.store (local.get $out) (local.get $w))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $word)))
    (block $path
      (loop $byte
        (br_if $path (i32.ge_u (local.get $i) (local.get $pathEnd)))
        (local.set $c (i32.load8_u offset=8192 (local.get $i)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92))) (then (return (i32.const 0))))
        (i32.store8 (local.get $out) (local.get $c))
        (local.set $out (i32.add (local.get $out) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (i32.store (local.get $base) (i32.sub (local.get $out) (i32.add (local.get $base) (i32.const 4))))
    (i32.const 1))

  ;; Appends an access log line to the batch at 131072 + $used and returns the batch's new length: the time (the
  ;; second at 196608, then the millisecond $ms), the constant part, the minted request id $id, log slot $slot, the
  ;; route and status, $bytes, ',"durationMs":' and $hundredths / 100 as JavaScript prints it, the client's end of
  ;; the line (with the cache field when $hit). access-log.ts makes sure it fits.
  (func (export "logLine") (param $slot i32) (param $used i32) (param $ms i32) (param $id f64) (param $bytes f64) (param $hundredths f64) (param $hit i32) (result i32)
    (local $out i32) (local $base i32) (local $n i64) (local $frac i32) (local $client i32)
    (local.set $out (call $copy (i32.add (i32.const 131072) (local.get $used)) (i32.const 196608) (i32.const 29)))
    (i32.store8 (local.get $out) (i32.add (i32.const 48) (i32.div_u (local.get $ms) (i32.const 100))))
    (i32.store8 offset=1 (local.get $out) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $ms) (i32.const 10)) (i32.const 10))))
    (i32.store8 offset=2 (local.get $out) (i32.add (i32.const 48) (i32.rem_u (local.get $ms) (i32.const 10))))
    (local.set $out (call $copy (i32.add (local.get $out) (i32.const 3)) (i32.const 196644) (i32.load (i32.const 196640))))
    ;; The id's prefix: what follows "X-Request-ID: " in the response's id line.
    (local.set $out (call $copy (local.get $out) (i32.const 278) (i32.sub (i32.load (i32.const 260)) (i32.const 14))))
    (local.set $out (call $putId (local.get $out) (local.get $id)))
    (local.set $base (i32.add (i32.const 262144) (i32.shl (local.get $slot) (i32.const 8))))
    (local.set $out (call $copy (local.get $out) (i32.add (local.get $base) (i32.const 4)) (i32.load (local.get $base))))
    (local.set $out (call $copy (local.get $out) (i32.const 196868) (i32.load (i32.const 196864))))
    (local.set $out (call $putDecimal (local.get $out) (i64.trunc_f64_u (local.get $bytes))))
    (local.set $out (call $copy (local.get $out) (i32.const 197888) (i32.const 14)))
    (local.set $n (i64.trunc_f64_u (local.get $hundredths)))
    (local.set $out (call $putDecimal (local.get $out) (i64.div_u (local.get $n) (i64.const 100))))
    ;; The decimals as String(x / 100) ends: none, one, or two when the last is not 0.
    (local.set $frac (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 100))))
    (if (local.get $frac)
      (then
        (i32.store8 (local.get $out) (i32.const 46))
        (i32.store8 offset=1 (local.get $out) (i32.add (i32.const 48) (i32.div_u (local.get $frac) (i32.const 10))))
        (local.set $out (i32.add (local.get $out) (i32.const 2)))
        (if (i32.rem_u (local.get $frac) (i32.const 10))
          (then
            (i32.store8 (local.get $out) (i32.add (i32.const 48) (i32.rem_u (local.get $frac) (i32.const 10))))
            (local.set $out (i32.add (local.get $out) (i32.const 1)))))))
    (local.set $client (select (i32.const 197632) (i32.const 197376) (local.get $hit)))
    (local.set $out (call $copy (local.get $out) (i32.add (local.get $client) (i32.const 4)) (i32.load (local.get $client))))
    (i32.sub (local.get $out) (i32.const 131072)))

)
