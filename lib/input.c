#include "input.h"

#include <errno.h>
#include <htslib/hfile.h>
#include <htslib/hts_log.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* htslib logs a failed inflate or read on stderr ("[E::bgzf_read_block] ..."), besides the
 * error code it returns: our message is the one to show, so its log is off during the call. */
static enum htsLogLevel quiet(void)
{
    enum htsLogLevel level = hts_get_log_level();
    hts_set_log_level(HTS_LOG_OFF);
    return level;
}

BGZF *tfm_input_open(const char *path)
{
    enum htsLogLevel level = quiet();
    errno = 0;
    BGZF *fp = bgzf_open(path, "r");
    int err = errno;
    hts_set_log_level(level);
    if (!fp) tfm_fail("cannot open '%s': %s", path, strerror(err ? err : ENOENT));
    return fp;
}

BGZF *tfm_input_open_mem(const void *buf, size_t len)
{
    char *copy = tfm_malloc(len ? len : 1); /* hopen("mem:") takes it over */
    if (len) memcpy(copy, buf, len);
    enum htsLogLevel level = quiet();
    hFILE *h = hopen("mem:", "r:", copy, len);
    BGZF *fp = h ? bgzf_hopen(h, "r") : NULL;
    hts_set_log_level(level);
    if (!h) free(copy);
    else if (!fp) hclose_abruptly(h);
    if (!fp) tfm_fail("cannot open a buffer of %zu bytes: %s", len, strerror(errno ? errno : EIO));
    return fp;
}

const char *tfm_input_name(const char *path) { return strcmp(path, "-") == 0 ? "stdin" : path; }

int tfm_input_fail(BGZF *fp, const char *name, long lines, const char *rec)
{
    char where[64], in[256] = "";
    if (lines > 0) snprintf(where, sizeof where, "after line %ld", lines);
    else snprintf(where, sizeof where, "in its first line");
    if (rec) snprintf(in, sizeof in, " (record %.200s)", rec);
    if (fp->is_compressed) return tfm_fail("%s: truncated or corrupt gzip %s%s", name, where, in);
    return tfm_fail("%s: read error %s%s: %s", name, where, in, strerror(errno ? errno : EIO));
}

/* bgzf_getline(fp, '\n', str) of htslib 1.16, the same lines, positions and return values, with
 * memchr for its byte-by-byte search of the line end: that loop was a fifth of tfm-aggregate's
 * time. Reads through the public fields of BGZF, as htslib's own inline bgzf_getc of old did;
 * input is never multi-threaded here, so the block's end is htell of the file. */
static int getline_block(BGZF *fp, kstring_t *str)
{
    int state = 0;
    str->l = 0;
    do {
        if (fp->block_offset >= fp->block_length) {
            enum htsLogLevel level = quiet(); /* its log is off during the read (see quiet) */
            int r = bgzf_read_block(fp);
            hts_set_log_level(level);
            if (r != 0) { state = -2; break; }
            if (fp->block_length == 0) { state = -1; break; }
        }
        const char *buf = (const char *)fp->uncompressed_block + fp->block_offset;
        int avail = fp->block_length - fp->block_offset;
        const char *nl = memchr(buf, '\n', (size_t)avail);
        int l = nl ? (int)(nl - buf) : avail;
        if (nl) state = 1;
        if (ks_expand(str, l + 2) < 0) { state = -3; break; }
        memcpy(str->s + str->l, buf, l);
        str->l += l;
        fp->block_offset += l + 1;
        if (fp->block_offset >= fp->block_length) {
            fp->block_address = htell(fp->fp);
            fp->block_offset = 0;
            fp->block_length = 0;
        }
    } while (state == 0);
    if (str->l == 0 && state < 0) return state;
    fp->uncompressed_address += str->l + 1;
    if (str->l > 0 && str->s[str->l - 1] == '\r') str->l--;
    str->s[str->l] = 0;
    return (int)str->l;
}

int tfm_input_line(BGZF *fp, kstring_t *ks, const char *name, long *lineno, const char *rec)
{
    errno = 0;
    int r = getline_block(fp, ks);
    /* a read error ends the last line early, and htslib hands that piece out as a line: not here */
    if (r < -1 || fp->errcode) return tfm_input_fail(fp, name, *lineno, rec);
    if (r == -1) return 0;
    /* htslib takes a gzip file shorter than its 18-byte header for plain text */
    if (*lineno == 0 && !fp->is_compressed && ks->l >= 2 && (unsigned char)ks->s[0] == 0x1f &&
        (unsigned char)ks->s[1] == 0x8b)
        return tfm_fail("%s: truncated or corrupt gzip in its first line", name);
    ++*lineno;
    if (ks->l && ks->s[ks->l - 1] == '\r') ks->s[--ks->l] = 0;
    if (memchr(ks->s, 0, ks->l)) return tfm_fail("%s:%ld: NUL byte in input", name, *lineno);
    return 1;
}
