/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs.h: ValkkaFS, the circular block store recordings live in.
 *
 * An FS is a directory: valkkafs.json (what it is), blocktable (one entry per block: time range,
 * keyframes, streams) and blocks (n_blocks x block_size bytes, or a raw device). Frames are
 * written as checksummed records into blocks in order; when the last block is full the first is
 * reused (the oldest recording goes). The table indexes time, so a seek reads only the blocks it
 * needs. All file I/O goes through a storage plugin ("storage-multifs" for kind multi,
 * "storage-singlefs" for kind single); the byte layout is in core-c/src/fs/FORMAT.md.
 *
 * Threads: every function may be called from any thread; one valkka_fs_t serialises its writes
 * internally. The calls that read the table (get_info, read_table, time_range, get_ind,
 * get_ind_neigh, get_streams, read_block) do not wait for a write the storage holds up.
 * Callbacks run on the FS's writer thread (named per callback), never with an FS lock held, and
 * must not call valkka_fs_close or valkka_fs_writer_stop on the FS that called them.
 *
 * Times are wall-clock milliseconds since the Unix epoch; 0 means "none" throughout (a frame's
 * mstime must be > 0).
 */
#ifndef VALKKA_FS_H
#define VALKKA_FS_H

#include <valkka/defs.h>
#include <valkka/frame.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open FS. Opaque. */
typedef struct valkka_fs valkka_fs_t;

/** FS kinds. Append only. */
typedef enum valkka_fs_kind {
  VALKKA_FS_MULTI = 1, /**< many streams interleaved in one FS */
  VALKKA_FS_SINGLE = 2 /**< one stream id per FS: each camera its own capacity and retention */
} valkka_fs_kind_t;

/** Streams a table entry names one by one; a block with more sets VALKKA_FS_BLOCK_OVERFLOW. */
#define VALKKA_FS_BLOCK_STREAMS 32

/* ------------------------------------------------------------------------------------------ */
/* Create, open, close                                                                        */

/** What valkka_fs_create makes. Zero-initialise, set struct_size = sizeof, fill. */
typedef struct valkka_fs_create_params {
  uint32_t struct_size;
  uint32_t kind;       /**< valkka_fs_kind_t */
  uint32_t block_size; /**< bytes per block: a multiple of 4096, 64 KiB ..= 1 GiB */
  uint32_t n_blocks;   /**< 2 ..= 1048576 */
  const char *device;  /**< absolute path of a raw block device for the blocks, or NULL (a file) */
  const char *
      backend; /**< storage plugin name, or NULL for the kind's ("storage-multifs" / "-singlefs") */
} valkka_fs_create_params_t;

/**
 * Creates an FS in `dir` (created when missing; its parent must exist): the blocktable (every
 * entry void) and, unless `device` is set, the preallocated blocks file, then valkkafs.json. On
 * failure nothing is left behind but a directory this call created.
 * Ownership: strings are borrowed for the call. Thread: any.
 * Errors: VALKKA_EINVAL (NULL, bad kind, block size or count, relative device path),
 * VALKKA_EEXIST (dir already holds an FS), VALKKA_EACCES (cannot write there), VALKKA_ENOSPC
 * (preallocation failed), VALKKA_ENOENT (backend plugin not found, device missing),
 * VALKKA_EFORMAT (device smaller than the FS), VALKKA_EIO. Since ABI 1.0.
 */
VALKKA_API int valkka_fs_create(const char *dir, const valkka_fs_create_params_t *params);

/** valkka_fs_open_params_t.flags: open for reading only (no lock, nothing written, no writer). */
#define VALKKA_FS_READONLY 0x1u

/** How valkka_fs_open opens. Zero-initialise, set struct_size = sizeof, fill; or pass NULL. */
typedef struct valkka_fs_open_params {
  uint32_t struct_size;
  uint32_t flags;            /**< VALKKA_FS_* open flags */
  const char *backend;       /**< storage plugin name overriding valkkafs.json's, or NULL */
  uint32_t sync_interval_ms; /**< fdatasync and table update interval; 0 = 1000 */
  /* since ABI 1.3 */
  /** Options for the storage plugin, borrowed for the call: storage-http's "ca_file",
      "bearer_token", "connect_timeout_ms", "stall_timeout_ms" (`valkka plugins` lists them). */
  const valkka_option_t *options;
  size_t n_options;
} valkka_fs_open_params_t;

/**
 * Opens the FS in `dir` and runs recovery (FORMAT.md): damaged table entries are rebuilt from
 * their blocks, and the block being written when the FS was last closed (or its writer killed) is
 * scanned record by record, so writing resumes after the last record that reached the file.
 * A writable open takes an exclusive lock on the FS (a second writable open, in this process or
 * another, fails with VALKKA_EBUSY); a read-only one keeps what recovery finds in memory.
 * Since ABI 1.3 `dir` may be the URL of an FS directory an HTTP server serves ("http://..." or
 * "https://...", credentials as userinfo): it is opened read-only (VALKKA_FS_READONLY is
 * implied; a writer is refused) through the "storage-http" plugin unless `backend` names another.
 * Ownership: on success `*fs` is the caller's, released with valkka_fs_close. `params` may be NULL.
 * Thread: any. Errors: VALKKA_EINVAL (NULL), VALKKA_ENOENT (no valkkafs.json, a file missing, the
 * backend plugin not found), VALKKA_EFORMAT (a foreign or malformed valkkafs.json, another format
 * version, files that do not match it), VALKKA_EBUSY, VALKKA_EACCES, VALKKA_ENOMEM, VALKKA_EIO.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_fs_open(const char *dir, const valkka_fs_open_params_t *params,
                              valkka_fs_t **fs);

/**
 * Stops the writer thread (writing what is queued), updates the entry of the block being
 * written, syncs and closes. NULL does nothing. Thread: any but the FS's own writer thread; no
 * other call on `fs` may run or follow. Since ABI 1.0.
 */
VALKKA_API void valkka_fs_close(valkka_fs_t *fs);

/**
 * Reads the whole file `name` of the FS directory: a plain name, such as "status.json" (what a
 * recorder writes beside the FS) or "streams.json". Of a remote FS it comes through the storage
 * plugin (a conditional GET: unchanged, the last copy is handed out again without a transfer).
 * Ownership: `*data` (NUL-terminated past `*len` bytes) is the caller's, released with
 * valkka_fs_free_file; NULL on error. Thread: any, concurrently with other calls on `fs`.
 * Errors: VALKKA_EINVAL (NULL, a name with '/' or empty), VALKKA_ENOENT (no such file),
 * VALKKA_EACCES, VALKKA_EIO (unreadable, the server unreachable, stalled or broken: the message
 * says which), VALKKA_ENOMEM. Since ABI 1.3.
 */
VALKKA_API int valkka_fs_load_file(valkka_fs_t *fs, const char *name, char **data, size_t *len);

/** Releases what valkka_fs_load_file handed out. NULL does nothing. Since ABI 1.3. */
VALKKA_API void valkka_fs_free_file(char *data);

/**
 * 1 when `dir` names a remote FS (an "http://" or "https://" URL) that valkka_fs_open opens
 * through the storage-http plugin, 0 otherwise (NULL too). Thread: any. Since ABI 1.3.
 */
VALKKA_API int valkka_fs_is_remote(const char *dir);

/* ------------------------------------------------------------------------------------------ */
/* What the FS holds                                                                          */

/** valkka_fs_get_info's answer. The caller sets struct_size. */
typedef struct valkka_fs_info {
  uint32_t struct_size;
  uint32_t kind; /**< valkka_fs_kind_t */
  char uuid[33]; /**< 32 hex digits and a NUL */
  uint32_t block_size;
  uint32_t n_blocks;
  uint32_t blocks_used; /**< non-void blocks */
  uint32_t blocks_void;
  int64_t first_ms; /**< time range of the non-void blocks; 0 when the FS is empty */
  int64_t last_ms;
  uint32_t current_block;     /**< the block being written (or to be written first) */
  uint64_t current_seq;       /**< its write sequence number; 0 before the first frame ever */
  uint32_t readonly;          /**< 1 when opened with VALKKA_FS_READONLY */
  uint32_t entries_rebuilt;   /**< damaged table entries recovery rebuilt at open */
  uint32_t records_recovered; /**< records recovery found beyond what the table said: of the
                                   block being written, and after a power cut of every block
                                   written since the table's last sync */
  uint64_t bad_records;       /**< damaged records skipped by reads since open */
  uint32_t format_version;    /**< valkkafs.json's "version" (since ABI 1.1) */
  /** Turns of the writer thread's loop since open: it turns at least every 100 ms while it
      runs, idle or not, so a count that stops moving is a writer that is stuck (a write the
      storage holds up) or gone; a service watchdog reads it. 0 without a writer. Since ABI 1.2. */
  uint64_t writer_beats;
  /** 1 for an FS opened by URL (valkka_fs_is_remote): its reads may fail for a while (a server
      restarting) and succeed again. Since ABI 1.3. */
  uint32_t remote;
} valkka_fs_info_t;

/**
 * Fills `info` (as far as its struct_size reaches). Thread: any.
 * Errors: VALKKA_EINVAL (NULL, struct_size 0). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_get_info(valkka_fs_t *fs, valkka_fs_info_t *info);

/** valkka_fs_block_t.flags */
#define VALKKA_FS_BLOCK_VOID 0x1u     /**< holds nothing */
#define VALKKA_FS_BLOCK_OVERFLOW 0x2u /**< more than VALKKA_FS_BLOCK_STREAMS streams */
#define VALKKA_FS_BLOCK_CURRENT 0x4u  /**< the block being written */

/** One block-table entry, as valkka_fs_read_table copies it. */
typedef struct valkka_fs_block {
  uint32_t struct_size;
  uint32_t index;
  uint32_t flags;      /**< VALKKA_FS_BLOCK_* */
  uint32_t frames;     /**< encoded frames */
  uint32_t records;    /**< encoded frames + codec configurations */
  uint32_t bytes_used; /**< bytes of the block in use, header included; 0 when void */
  uint64_t seq;        /**< write sequence number (a void block may carry its next one) */
  int64_t min_ms;      /**< 0 when void */
  int64_t max_ms;
  int64_t min_keyframe_ms; /**< 0 when the block holds no keyframe */
  int64_t max_keyframe_ms;
  uint32_t n_streams; /**< entries used in stream_ids */
  uint32_t stream_ids[VALKKA_FS_BLOCK_STREAMS];
} valkka_fs_block_t;

/**
 * Copies the table: entry i goes to element i, for i < min(n_blocks, max). Elements are
 * `blocks[0].struct_size` bytes apart (the caller sets that one field to sizeof(valkka_fs_block_t));
 * each element gets its struct_size set. The entry of the block being written is current (it
 * includes frames not yet written to the blocktable file), as far as its records are in the file:
 * those the writer thread still holds to write (at most 50 ms of them) are not in it.
 * Returns the number of blocks of the FS (>= 0). Thread: any.
 * Errors: VALKKA_EINVAL (NULL, struct_size too small). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_read_table(valkka_fs_t *fs, valkka_fs_block_t *blocks, uint32_t max);

/**
 * The time range of the recording: min of min times and max of max times of the non-void blocks.
 * Both 0 when the FS holds nothing. Either pointer may be NULL. Thread: any.
 * Errors: VALKKA_EINVAL (NULL fs). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_time_range(valkka_fs_t *fs, int64_t *first_ms, int64_t *last_ms);

/**
 * getInd: the blocks to read for [t0_ms, t1_ms]: the smallest run of blocks in write order
 * (possibly wrapping round the end of the FS) holding every frame with t0 <= mstime <= t1 and,
 * for every stream present at t0, its frames from its last keyframe at or before t0 up to its
 * frame at t0 (its last one at or before t0, also when t0 falls between two blocks, whose time
 * ranges it then does not meet). Writes the indices of the run's non-void blocks, oldest first,
 * to `blocks` (up to `max`) and returns how many the run has, which may exceed `max` (like
 * snprintf); 0 when nothing qualifies (t outside the time range).
 * Exact for every stream the table names in the blocks holding it (up to VALKKA_FS_BLOCK_STREAMS
 * streams per block; beyond that see core-c/src/fs/FORMAT.md, "Index search"). Thread: any. Errors: VALKKA_EINVAL (NULL fs, t1 < t0, NULL blocks with max > 0),
 * VALKKA_ENOMEM. Since ABI 1.0.
 */
VALKKA_API int valkka_fs_get_ind(valkka_fs_t *fs, int64_t t0_ms, int64_t t1_ms, uint32_t *blocks,
                                 uint32_t max);

/**
 * getIndNeigh: valkka_fs_get_ind(t, t) plus up to `n` following non-void blocks in write order:
 * the cache window around a playhead. Results and errors as valkka_fs_get_ind. Since ABI 1.0.
 */
VALKKA_API int valkka_fs_get_ind_neigh(valkka_fs_t *fs, int64_t t_ms, uint32_t n, uint32_t *blocks,
                                       uint32_t max);

/** One recorded range of a stream (valkka_fs_get_ranges). Since ABI 1.4. */
typedef struct valkka_fs_range {
  uint32_t struct_size;
  uint32_t reserved; /**< zero */
  int64_t first_ms;  /**< mstime of the range's first frame */
  int64_t last_ms;   /**< mstime of its last frame (== first_ms for a lone frame) */
} valkka_fs_range_t;

/**
 * The ranges of stream `stream_id` recorded without a gap, oldest first: a gap is a step between
 * two consecutive frames of the stream longer than twice its frame interval or 1 s, whichever is
 * larger (core-c/src/fs/FORMAT.md, "Ranges"). Every range that meets [from_ms, to_ms] is given
 * whole (not cut at from_ms or to_ms). The ranges come from the block table and the ranges index
 * the writer keeps, both in memory: no block is read, so a day of many streams is asked for
 * cheaply, and a follower or a remote FS answers as its table stands (valkka_fs_refresh).
 * A block the index does not tell (an FS recorded before the index existed, more than 64 ranges
 * in one block, damage) counts as one range from its first to its last frame of the stream.
 * Writes up to `max` ranges to `out`, whose elements are `out[0].struct_size` bytes apart (the
 * caller sets that one field; each element gets its struct_size set), and returns how many there
 * are, which may exceed `max` (like snprintf); 0 when the stream has none there.
 * Thread: any. Errors: VALKKA_EINVAL (NULL fs, to_ms < from_ms, NULL out or struct_size 0 with
 * max > 0). Since ABI 1.4.
 */
VALKKA_API int valkka_fs_get_ranges(valkka_fs_t *fs, uint32_t stream_id, int64_t from_ms,
                                    int64_t to_ms, valkka_fs_range_t *out, uint32_t max);

/** Longest stream name with its NUL. Since ABI 1.1. */
#define VALKKA_FS_STREAM_NAME_MAX 64

/** One stream as the table knows it (valkka_fs_get_streams). */
typedef struct valkka_fs_stream_info {
  uint32_t struct_size;
  uint32_t stream_id;
  uint32_t codec;  /**< valkka_codec_t of its latest block */
  uint32_t blocks; /**< non-void blocks naming it */
  uint64_t frames; /**< encoded frames in those blocks */
  int64_t first_ms;
  int64_t last_ms;
  /* since ABI 1.1, from the stream table (valkka_fs_name_stream); empty / 0 when not named */
  char name[VALKKA_FS_STREAM_NAME_MAX]; /**< the camera's name, NUL-terminated */
  uint32_t camera_id; /**< the camera's main stream, for its audio or substream; else 0 */
} valkka_fs_stream_info_t;

/**
 * The streams named in the table's non-void blocks, by ascending id, into `streams` (up to
 * `max`, elements `streams[0].struct_size` bytes apart); returns how many there are. Streams that
 * only ever appear beyond the first VALKKA_FS_BLOCK_STREAMS of an overflowing block are not
 * named. Thread: any. Errors: VALKKA_EINVAL, VALKKA_ENOMEM. Since ABI 1.0.
 */
VALKKA_API int valkka_fs_get_streams(valkka_fs_t *fs, valkka_fs_stream_info_t *streams,
                                     uint32_t max);

/**
 * Names stream `stream_id` in the FS's stream table (streams.json in its directory, rewritten
 * atomically when it changes), so that readers in any process can tell cameras by name and find
 * a camera's other streams: `camera_id` is the camera's main (video) stream for its audio or
 * substream, 0 for the main stream itself. `name` is copied. Naming a stream again replaces it.
 * Thread: any. Errors: VALKKA_EINVAL (NULL, id 0, a name empty, of VALKKA_FS_STREAM_NAME_MAX
 * bytes or more, or with control characters), VALKKA_EACCES (read-only), VALKKA_ENOMEM,
 * VALKKA_EIO / VALKKA_ENOSPC (the table on disk is unchanged). Since ABI 1.1.
 */
VALKKA_API int valkka_fs_name_stream(valkka_fs_t *fs, uint32_t stream_id, const char *name,
                                     uint32_t camera_id);

/* ------------------------------------------------------------------------------------------ */
/* Writing and reading, synchronously                                                         */

/**
 * Appends one ENCODED or CONFIG frame of on-disk stream `stream_id`, written through at once
 * (one pwrite, with any records the writer thread still held; it survives the process being
 * killed once this returns 0; fdatasync is valkka_fs_sync's job). The core remembers each
 * stream's last CONFIG frame and writes it again before a keyframe that has none before it in
 * the same block, so decoding can start at any keyframe of any block. When the frame does not
 * fit in the current block, the block is finished and the next one is started (its table entry
 * is made void and persisted first).
 * `frame` is borrowed for the call; its kind, codec, flags, mstime and payload are recorded.
 * Thread: any (serialised with the writer thread). Errors: VALKKA_EINVAL (NULL, another kind,
 * mstime <= 0), VALKKA_ETOOBIG (the frame, with the configuration a keyframe needs, exceeds a
 * block: refused and counted, the FS goes on), VALKKA_EINVAL (a second stream id in a single FS),
 * VALKKA_EACCES (read-only), VALKKA_ENOSPC / VALKKA_EIO from the backend (nothing was recorded;
 * the next append tries again). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_append(valkka_fs_t *fs, uint32_t stream_id, const valkka_frame_t *frame);

/**
 * Writes the records the writer thread still holds, then the entry of the block being written
 * to the table, and fdatasyncs blocks and table. Thread: any. Errors: VALKKA_EINVAL, VALKKA_EIO
 * (from the backend). A read-only FS returns 0.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_fs_sync(valkka_fs_t *fs);

/**
 * Reads block `block` and calls `sink(user, frame)` for every valid record, in order: CONFIG and
 * ENCODED frames with stream_id, codec, flags, mstime and payload set (slot 0). The frame and its
 * payload are borrowed for the call. Damaged records (a checksum fails) are skipped and counted
 * (valkka_fs_info_t.bad_records), never delivered. A sink returning VALKKA_EINTR stops the read;
 * other results are ignored. Runs on the calling thread; the sink is called without FS locks.
 * Returns the number of frames delivered (0 for a void block).
 * Errors: VALKKA_EINVAL (NULL, block out of range), VALKKA_ENOENT (the block was overwritten
 * while being read: nothing was delivered), VALKKA_EINTR, VALKKA_ENOMEM, VALKKA_EIO.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_fs_read_block(valkka_fs_t *fs, uint32_t block, valkka_frame_sink_fn sink,
                                    void *user);

/**
 * valkka_fs_read_block of one use of the block: `use` is the sequence number (valkka_fs_block_t
 * seq) of the use the caller learned of from a table read, 0 for whichever use the block holds.
 * A reader working from a copy of the table (the manager's block loaders) uses it so that a block
 * reused since the copy was read never passes its new records off as the old use's.
 * Errors: as valkka_fs_read_block; VALKKA_ENOENT also when the block holds another use (nothing
 * is delivered). Thread: any (the calling thread runs the read and the sink). Since ABI 1.1.
 */
VALKKA_API int valkka_fs_read_block_use(valkka_fs_t *fs, uint32_t block, uint64_t use,
                                        valkka_frame_sink_fn sink, void *user);

/**
 * valkka_fs_read_block_use of the records past byte `*offset` of the block: a reader of a block
 * being written, asked for again as it grows, reads only what was added (over HTTP each read is
 * a transfer). `*offset`: 0 (the whole use), or what an earlier call for the same use set it to;
 * on success it is set to where this read ended. A value not of this use's (beyond its end) reads
 * the whole use. Errors and threads: as valkka_fs_read_block_use; `*offset` is left as it was on
 * error. Since ABI 1.3.
 */
VALKKA_API int valkka_fs_read_block_from(valkka_fs_t *fs, uint32_t block, uint64_t use,
                                         uint32_t *offset, valkka_frame_sink_fn sink, void *user);

/** Counters of one stream since open (valkka_fs_get_stream_stats). */
typedef struct valkka_fs_stream_stats {
  uint32_t struct_size;
  uint32_t stream_id;
  uint64_t frames;  /**< frames written (encoded and config, as given), each counted once its
                         record is in the file (valkka_fs_append returned 0; for the writer
                         thread, once the write of its segment returned) */
  uint64_t bytes;   /**< payload bytes of those */
  uint64_t dropped; /**< refused by valkka_fs_sink: queue full, pool empty or writer stopped */
  uint64_t too_big; /**< refused with VALKKA_ETOOBIG */
  uint64_t errors;  /**< failed to be written (backend errors) */
} valkka_fs_stream_stats_t;

/**
 * Counters of `stream_id`. Thread: any. Errors: VALKKA_EINVAL (NULL, struct_size 0),
 * VALKKA_ENOENT (the stream was neither mapped nor written since open). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_get_stream_stats(valkka_fs_t *fs, uint32_t stream_id,
                                          valkka_fs_stream_stats_t *stats);

/** fsck counts. The caller sets struct_size. */
typedef struct valkka_fs_fsck_report {
  uint32_t struct_size;
  uint32_t blocks_checked;
  uint32_t bad_entries;     /**< entries damaged, or disagreeing with their blocks */
  uint32_t bad_headers;     /**< blocks holding records under a damaged header */
  uint32_t bad_records;     /**< damaged records (their frames are lost) */
  uint32_t entries_rebuilt; /**< entries written by repair */
  uint64_t records_checked; /**< valid records seen */
  /** Blocks a writer was filling, live or killed: the entry of the block being written lags its
      records by design (FORMAT.md), which is not damage. Since ABI 1.1. */
  uint32_t blocks_in_progress;
  /** Valid records of those blocks past what their entries say: the records recovery on open
      keeps (a writer still running may have appended more since). Since ABI 1.1. */
  uint32_t records_in_progress;
  /** Set by the caller, or NULL: called on the calling thread after each block is checked, with
      the blocks checked so far and the FS's total, so that a long check can show how far it is.
      Kept as given in the report written back. Since ABI 1.1. */
  void (*progress)(void *user, uint32_t checked, uint32_t total);
  void *progress_user; /**< `progress`'s first argument */
  /** Ranges-index entries (FORMAT.md, "Ranges index") damaged, or claiming their block's use
      while telling other ranges than its records make. Damage: fsck fails on them. An entry never
      written, or of an older use, is not: readers take the table's slots instead. Since ABI 1.4. */
  uint32_t bad_ranges;
  /** Ranges-index entries written by repair: the bad ones, and those never written or of an
      older use, for a finished block with a sound table entry. Since ABI 1.4. */
  uint32_t ranges_rebuilt;
} valkka_fs_fsck_report_t;

/**
 * Checks the whole table against the blocks. With `repair` (which takes the FS's exclusive lock)
 * it rewrites every entry from its block's header and records, rewrites damaged block headers and
 * covers damaged records, so that a second check is clean. `report` may be NULL.
 * The block being written is not damage: when its entry is a true prefix of its records (the
 * writer stores the entry at intervals; a killed writer leaves it behind), it counts as in
 * progress (blocks_in_progress), not damage; repair writes its whole entry, as recovery on open
 * would. So an FS a recorder is writing, or one whose recorder was killed, checks clean.
 * Returns 0 when the FS is clean (blocks in progress or not) or was repaired, VALKKA_ECORRUPT when
 * problems remain (the report says which), another negative code when it cannot check (as
 * valkka_fs_open, and VALKKA_EBUSY when repairing an FS open for writing). Thread: any.
 * Since ABI 1.0; blocks in progress since 1.1.
 */
VALKKA_API int valkka_fs_fsck(const char *dir, int repair, valkka_fs_fsck_report_t *report);

/* ------------------------------------------------------------------------------------------ */
/* The writer thread                                                                          */

/** Why the new-block callback fired. */
typedef enum valkka_fs_block_reason {
  VALKKA_FS_BLOCK_FINISHED = 1, /**< the block is full; writing moved to the next one */
  VALKKA_FS_BLOCK_PROGRESS = 2  /**< the block being written gained frames (progress thresholds);
                                   the frames it reports are in the file */
} valkka_fs_block_reason_t;

/** What the new-block callback reports: the block's state at the moment it fired. */
typedef struct valkka_fs_block_event {
  uint32_t struct_size;
  uint32_t reason; /**< valkka_fs_block_reason_t */
  uint32_t block;
  uint32_t frames;
  uint64_t seq;
  int64_t min_ms;
  int64_t max_ms;
} valkka_fs_block_event_t;

/**
 * The new-block callback. Runs on the FS's writer thread with no FS lock held; `event` is
 * borrowed for the call. It may call valkka_fs_read_table, valkka_fs_get_ind and the like, and
 * must not block for long nor stop the writer or close the FS.
 */
typedef void (*valkka_fs_block_fn)(void *user, const valkka_fs_block_event_t *event);

/** valkka_fs_writer_start's settings. Zero fields take the defaults. */
typedef struct valkka_fs_writer_params {
  uint32_t struct_size;
  uint32_t queue_length;       /**< frames the input queue (and its pool) holds; default 256 */
  uint32_t frame_capacity;     /**< initial payload buffer of each pool frame; default 65536 */
  valkka_fs_block_fn on_block; /**< new-block callback, or NULL */
  void *user;                  /**< passed to on_block, not owned */
  uint32_t progress_frames;    /**< PROGRESS after this many frames went into the block; 0 = off */
  uint32_t progress_ms;        /**< PROGRESS when frames went in and this long passed since the
                                 last event of the block; 0 = off */
} valkka_fs_writer_params_t;

/**
 * Starts the writer thread ("fs-writer"): it takes frames queued by valkka_fs_sink, appends them
 * (as valkka_fs_append, but gathering the records of the block being written into one pwrite per
 * 256 KiB, or per quarter block if less, or per 50 ms, whichever comes first), fdatasyncs every
 * sync interval, and calls `on_block` when a block is finished and at the progress thresholds.
 * Frames and the pool are allocated here, once.
 * `params` may be NULL. Thread: any. Errors: VALKKA_EINVAL, VALKKA_EACCES (read-only FS),
 * VALKKA_ESTATE (already running), VALKKA_ENOMEM. The callback never fires after an error.
 * Since ABI 1.0.
 */
VALKKA_API int valkka_fs_writer_start(valkka_fs_t *fs, const valkka_fs_writer_params_t *params);

/**
 * Stops the writer thread after it wrote every frame already queued, then syncs: when it
 * returns, every frame the sink queued before is in the file (or counted in too_big / errors).
 * Idempotent; 0 when it was not running. No callback runs after it returns. Thread: any but the
 * writer thread. Errors: VALKKA_EINVAL (NULL). Since ABI 1.0.
 */
VALKKA_API int valkka_fs_writer_stop(valkka_fs_t *fs);

/**
 * Maps in-process `slot` to on-disk `stream_id` for frames given to valkka_fs_sink (a slot maps
 * to one id; mapping it again replaces it). Thread: any. Errors: VALKKA_EINVAL (NULL, a second
 * stream id in a single FS), VALKKA_ENOMEM. Since ABI 1.0.
 */
VALKKA_API int valkka_fs_map(valkka_fs_t *fs, uint32_t slot, uint32_t stream_id);

/** Removes the mapping of `slot`. Errors: VALKKA_EINVAL, VALKKA_ENOENT. Since ABI 1.0. */
VALKKA_API int valkka_fs_unmap(valkka_fs_t *fs, uint32_t slot);

/**
 * The FS's input, a valkka_frame_sink_fn: `fs` is the valkka_fs_t. Copies `frame` into a
 * preallocated pool frame and queues it for the writer thread; never waits. `frame` is borrowed.
 * Thread: any (producers' threads). Returns 0 when queued; VALKKA_EFULL when the queue or pool is
 * full (dropped, counted as dropped of the slot's stream); VALKKA_ESTATE when the writer is not
 * running (counted as dropped); VALKKA_ENOENT for an unmapped slot; VALKKA_EINVAL for NULL, a
 * frame that is neither ENCODED nor CONFIG, an mstime <= 0 or a NULL payload with a size (as
 * valkka_fs_append refuses them); VALKKA_ENOMEM when the copy cannot grow.
 * A queued frame is not on disk yet: a killed process loses what is still queued, and what the
 * writer thread holds to write with the next segment, at most its last 50 ms of frames. The
 * writer takes the queue in order and counts a frame only once its record is in the file, so
 * once `frames` + `too_big` + `errors` of the stream's valkka_fs_get_stream_stats reached n, it
 * has handled the first n frames the sink took for that stream since open, and each of them not
 * counted in `too_big` or `errors` is written: it survives the process being killed (and a
 * read-only open of the FS, in this process or another, reads it).
 * Since ABI 1.0.
 */
VALKKA_API int valkka_fs_sink(void *fs, const valkka_frame_t *frame);

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                    */

/*
 * The FS runs no reader thread: a reader calls valkka_fs_read_block_use (or valkka_fs_read_block)
 * on a thread of its own, as the manager's block loaders do, one per FS. ABI 1.0's reader thread
 * (valkka_fs_reader_start / _stop / _map / _unmap and valkka_fs_pull_blocks) was removed in 1.1
 * before anything built on it: the manager could not use it (its sink named neither the block nor
 * the request a frame came from, nor said when a request was done), and two ways to read the
 * same blocks were one too many.
 */

/* ------------------------------------------------------------------------------------------ */
/* Following the writer of another process                                                     */

/**
 * A new record of the followed FS, delivered once, in write order: `frame` (CONFIG or ENCODED,
 * stream_id set, payload borrowed for the call) is valid only during the call. Runs on the
 * FS's follow thread ("fs-follow") with no FS lock held; it must not block for long nor stop
 * the follower or close the FS. A non-zero return is ignored.
 */
typedef int (*valkka_fs_follow_frame_fn)(void *user, const valkka_frame_t *frame);

/** valkka_fs_follow_start's settings. Zero fields take the defaults. */
typedef struct valkka_fs_follow_params {
  uint32_t struct_size;
  valkka_fs_block_fn on_block;        /**< PROGRESS when the block being written gained records,
                                    FINISHED when the writer moved past a block; or NULL */
  valkka_fs_follow_frame_fn on_frame; /**< each new record, or NULL */
  void *user;                         /**< passed to both, not owned */
  uint32_t poll_ms; /**< look interval where no change notice exists: a raw device (default 20),
                       a remote FS (default 100) */
} valkka_fs_follow_params_t;

/**
 * Follows the writer of a read-only FS (single writer, many readers, across processes): new
 * blocks and the records appended to the block in progress enter this FS's table as the writer
 * writes them, so info, time range, index searches and reads see them. Each look re-reads the
 * block in progress from where the last one stopped and takes only whole records whose checksums
 * hold: a record being written is taken at the next look. A look comes when the blocks file
 * changes (inotify), every `poll_ms` when the blocks are a device or the FS is remote, and at
 * least once a second.
 * A wrap that overtakes the follower, a writer that restarts or one that dies are taken as the
 * table and blocks then say: the table is read again and the block in progress scanned anew
 * (readers of a reused block get VALKKA_ENOENT, as for a wrap under a reader of the writer's own
 * process). Records delivered before such a resync are not delivered again.
 * `params` may be NULL. Thread: any. Errors: VALKKA_EINVAL (NULL, struct_size too small),
 * VALKKA_EACCES (the FS is not read-only: its own writer reports through valkka_fs_writer_start),
 * VALKKA_ESTATE (already following), VALKKA_ENOMEM, VALKKA_EIO. Since ABI 1.2.
 */
VALKKA_API int valkka_fs_follow_start(valkka_fs_t *fs, const valkka_fs_follow_params_t *params);

/**
 * Stops following; no callback runs after it returns. Idempotent; 0 when not following.
 * Thread: any but the follow thread. Errors: VALKKA_EINVAL (NULL). Since ABI 1.2.
 */
VALKKA_API int valkka_fs_follow_stop(valkka_fs_t *fs);

/**
 * One look now, on the calling thread, as the follow thread makes them (callbacks of a running
 * follower are not called from it: their records are taken here and not delivered). Returns the
 * number of new records taken (>= 0) or a negative code. Thread: any. Errors: VALKKA_EINVAL,
 * VALKKA_EACCES (not read-only), VALKKA_ENOMEM, VALKKA_EIO. Since ABI 1.2.
 */
VALKKA_API int valkka_fs_refresh(valkka_fs_t *fs);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_FS_H */
