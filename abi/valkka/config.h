/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.h: the camera config file (README.md, "The config file"), read once for every program
 * that records or shows cameras, so `valkka record --config` and the kiosk take and refuse the
 * same files; and byte sizes ("2G", "512M") as every program reads them.
 *
 * A loaded config is a read-only value: the FS to record into and the cameras, their defaults
 * filled in ("id" i + 1, "audio_id" 1000 + id) and their stream ids checked unique per FS. Keys
 * the loader does not know are no error: each is named in a warning the caller shows.
 *
 * References: `${NAME}` in any string value (a camera's url, its options, a directory) is replaced
 * at load by the contents of $CREDENTIALS_DIRECTORY/NAME when that file exists (systemd's
 * LoadCredential=; one trailing newline dropped), else by the environment variable NAME; NAME is
 * letters, digits and _, not starting with a digit. `$$` is a literal `$`; a `$` followed by
 * anything else stays as written. An undefined NAME is VALKKA_EINVAL naming it and the field
 * ("cameras[0].url: ${DOOR_PASSWORD} is not defined: ..."), never a value. Substituted values
 * are secrets like the file's own: print URLs through valkka_url_redact(). Since ABI 1.2.
 *
 * Errors: a negative code, with valkka_last_error() naming the file and the field, as
 * "config cams.json: cameras[1].url: missing (rtsp://..., synthetic://N or a file path)".
 * No message quotes a URL or the config's text near a syntax error: either may hold a password.
 */
#ifndef VALKKA_CONFIG_H
#define VALKKA_CONFIG_H

#include <valkka/defs.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Cameras one config may hold: more than a kiosk wall shows (16), with room to spare. */
#define VALKKA_CONFIG_MAX_CAMERAS 64u
/** A camera's sound is stream VALKKA_CONFIG_AUDIO_ID_BASE + its video's id by default. */
#define VALKKA_CONFIG_AUDIO_ID_BASE 1000u
/** A camera's substream is stream VALKKA_CONFIG_SUB_ID_BASE + its main's id by default. Since
 * ABI 1.4. */
#define VALKKA_CONFIG_SUB_ID_BASE 2000u
/** valkka_config_camera_t.record: bits of the streams recorded. Since ABI 1.4. */
#define VALKKA_CONFIG_RECORD_MAIN 1u /**< the main stream ("url") */
#define VALKKA_CONFIG_RECORD_SUB 2u  /**< the substream ("substream") */
/** valkka_config_camera_t.fs of a camera for which neither it nor the config names an FS. */
#define VALKKA_CONFIG_NO_FS (-1)

/** A loaded config. Opaque; read through the accessors below. */
typedef struct valkka_config valkka_config_t;

/**
 * Reads the config file at `path` into `*config`. Duplicate keys in one object are refused.
 * Ownership: the caller frees `*config` with valkka_config_free(); on failure `*config` is NULL.
 * Errors: VALKKA_EINVAL (NULL argument, invalid JSON, a field breaking a rule), VALKKA_ENOENT,
 * VALKKA_EACCES, VALKKA_EIO (the file), VALKKA_ENOMEM; valkka_last_error() "config PATH: ...".
 * Thread safety: any thread. Since ABI 1.1.
 */
VALKKA_API int valkka_config_load(const char *path, valkka_config_t **config);

/**
 * As valkka_config_load, from `text` (NUL-terminated JSON); `name` stands for the file in
 * messages ("config NAME: ..."). Thread safety: any thread. Since ABI 1.1.
 */
VALKKA_API int valkka_config_load_string(const char *text, const char *name,
                                         valkka_config_t **config);

/** Frees a config and every string it lent. NULL does nothing. Since ABI 1.1. */
VALKKA_API void valkka_config_free(valkka_config_t *config);

/**
 * Number of warnings, and warning `i` (0 .. count-1): "config PATH: FIELD: unknown key,
 * ignored", one per key the loader does not know, in file order. The string is owned by the
 * config. NULL for an index out of range. Thread safety: any thread. Since ABI 1.1.
 */
VALKKA_API size_t valkka_config_warning_count(const valkka_config_t *config);
VALKKA_API const char *valkka_config_warning(const valkka_config_t *config, size_t i);

/** An FS the config names (each directory once). Strings owned by the config. */
typedef struct valkka_config_fs {
  uint32_t struct_size; /**< the caller sets it to sizeof(valkka_config_fs_t) */
  uint32_t create;      /**< 1: create it when `dir` holds no FS yet ("create") */
  const char *dir;      /**< as written: a relative path is taken from the current directory */
  const char *field;    /**< the field that first named it: "fs", "fs.dir", "cameras[2].fs" */
  uint32_t kind;        /**< with create: valkka_fs_kind_t (default multi) */
  uint32_t block_size;  /**< with create: bytes (default 1 MiB) */
  uint32_t n_blocks;    /**< with create: blocks */
} valkka_config_fs_t;

/**
 * Number of FS, and FS `i` (0 .. count-1) into `*fs`. Two spellings of one existing directory
 * are one FS; the first "create" given for a directory is the one kept.
 * Errors: VALKKA_EINVAL (NULL, struct_size too small), VALKKA_ERANGE. Since ABI 1.1.
 */
VALKKA_API size_t valkka_config_fs_count(const valkka_config_t *config);
VALKKA_API int valkka_config_fs(const valkka_config_t *config, size_t i, valkka_config_fs_t *fs);

/** A camera of the config. Strings and options owned by the config. */
typedef struct valkka_config_camera {
  uint32_t struct_size; /**< the caller sets it to sizeof(valkka_config_camera_t) */
  int32_t fs;           /**< index of its FS, or VALKKA_CONFIG_NO_FS when none is named */
  const char *field;    /**< "cameras[2]", for messages */
  const char *name;     /**< NULL when not given (shells then say "camera i") */
  const char *url;      /**< may hold a password: never print it unredacted */
  uint32_t stream_id;   /**< "id", default i + 1 */
  uint32_t audio;       /**< "audio": 1 (default) records its sound, 0 not */
  uint32_t audio_id;    /**< "audio_id", default 1000 + stream_id; 0 when audio is 0 */
  /** "options" as strings (numbers in decimal, true "1", false "0"), in file order. */
  const valkka_option_t *options;
  size_t n_options;
  /* since ABI 1.4 (VALKKA_HAS_FIELD) */
  /** "substream": the camera's second, smaller stream (same rules as url); NULL when none */
  const char *substream;
  /** "sub_id", default 2000 + stream_id; 0 without a substream */
  uint32_t sub_id;
  /** "record" as VALKKA_CONFIG_RECORD_* bits: "main" MAIN, "sub" SUB, "both" MAIN | SUB;
   * default both with a substream, else main. With SUB only, the sound comes from the substream */
  uint32_t record;
} valkka_config_camera_t;

/**
 * Number of cameras (1 .. VALKKA_CONFIG_MAX_CAMERAS), and camera `i` into `*camera`.
 * Errors: VALKKA_EINVAL (NULL, struct_size too small), VALKKA_ERANGE. Since ABI 1.1.
 */
VALKKA_API size_t valkka_config_camera_count(const valkka_config_t *config);
VALKKA_API int valkka_config_camera(const valkka_config_t *config, size_t i,
                                    valkka_config_camera_t *camera);

/**
 * Bytes from "1048576", "64K", "512M", "2G", "1T" (powers of 1024; the suffix in either case,
 * optionally followed by "iB" or "B": "64KiB", "1MB") into `*bytes`. No sign, no spaces.
 * Errors: VALKKA_EINVAL (NULL, malformed), VALKKA_ERANGE (past 2^64 - 1), `*bytes` untouched;
 * valkka_last_error() names the text. Thread safety: any thread. Since ABI 1.1.
 */
VALKKA_API int valkka_size_parse(const char *text, uint64_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* VALKKA_CONFIG_H */
