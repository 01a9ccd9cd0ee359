#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include <readline/history.h>

// readline keeps its state in C globals, which Swift 6 cannot touch safely. The Swift side only calls
// these accessors, from the one thread that runs the interactive prompt; the candidate list lives
// here in C, so no Swift global is shared with readline's callbacks.

static char **aurora_rl_candidates = NULL;
static int aurora_rl_candidate_count = 0;

static inline void aurora_rl_clear_candidates(void) {
    for (int i = 0; i < aurora_rl_candidate_count; i++) free(aurora_rl_candidates[i]);
    free(aurora_rl_candidates);
    aurora_rl_candidates = NULL;
    aurora_rl_candidate_count = 0;
}

static inline void aurora_rl_add_candidate(const char *word) {
    char **grown = (char **)realloc(aurora_rl_candidates, sizeof(char *) * (size_t)(aurora_rl_candidate_count + 1));
    if (grown == NULL) return;
    aurora_rl_candidates = grown;
    aurora_rl_candidates[aurora_rl_candidate_count++] = strdup(word);
}

static inline char *aurora_rl_generator(const char *text, int state) {
    static int index;
    static size_t length;
    if (state == 0) { index = 0; length = strlen(text); }
    while (index < aurora_rl_candidate_count) {
        const char *candidate = aurora_rl_candidates[index++];
        if (strncmp(candidate, text, length) == 0) return strdup(candidate);
    }
    return NULL;
}

static inline char **aurora_rl_completion(const char *text, int start, int end) {
    (void)start; (void)end;
    rl_attempted_completion_over = 1; // never fall back to file names
    return rl_completion_matches(text, aurora_rl_generator);
}

static inline void aurora_rl_install_completion(void) {
    rl_attempted_completion_function = aurora_rl_completion;
}

/// Returns a malloc'd line (caller frees) or NULL at end of input.
static inline char *aurora_rl_readline(const char *prompt) { return readline(prompt); }
static inline void aurora_rl_add_history(const char *line) { add_history(line); }
