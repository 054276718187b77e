/* replay.c - runs a fuzz harness over files (the seed corpora and the
 * regression inputs) without libFuzzer, so "make check" replays them with
 * the normal compiler and, in CI, under the sanitizers.
 *   fuzz-replay-NAME FILE...   exit 0 when every input ran */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int main(int argc, char **argv)
{
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf = malloc(1u << 21);
		size_t len;

		if (!f || !buf) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			free(buf);
			if (f)
				fclose(f);
			return 2;
		}
		len = fread(buf, 1, 1u << 21, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		n++;
	}
	printf("%d inputs\n", n);
	return 0;
}
