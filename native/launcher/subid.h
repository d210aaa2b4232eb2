/* The caller's subordinate id ranges from /etc/subuid and /etc/subgid (subuid(5)). */
#ifndef BERTH_NS_SUBID_H
#define BERTH_NS_SUBID_H

#include <stdbool.h>
#include <sys/types.h>

/* The kernel accepts at most 340 extents per map; one is taken by the caller's own id. */
#define SUBID_MAX_RANGES 64

struct id_range {
  unsigned long start;
  unsigned long count;
};

/* Parses one `name-or-id:start:count` line. True when it is well formed and names `name` or `id`. */
bool subid_line_matches(const char *line, const char *name, unsigned long id, struct id_range *out);

/* Reads every range of `file` that belongs to `name` or `id`, in file order, dropping ranges that
 * overlap an earlier one (the kernel refuses overlapping extents). Returns the number stored in
 * `out` (0 when the file is missing or has no entry for the user). */
int subid_read(const char *file, const char *name, unsigned long id, struct id_range *out, int max);

#endif
