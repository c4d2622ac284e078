package imports

import (
	"batchdesk/backend/catalog"
	"batchdesk/backend/imports/mapping"
)

// minGuessMatches is how many headers must match an object's fields with
// auto-accept confidence before the object is guessed for a file.
const minGuessMatches = 2

// GuessObject returns the API name of the object a file with these headers
// most likely belongs to — the most auto-accepted header matches, then the
// highest summed confidence — or "" when none has at least two. It lets
// `batchdesk FILE.csv` open straight on the mapping step.
func GuessObject(objects []catalog.Object, headers []string) string {
	best, bestN, bestScore := "", 0, 0.0
	for i := range objects {
		n, score := 0, 0.0
		for _, s := range mapping.Match(&objects[i], headers) {
			if s.Auto {
				n++
				score += s.Confidence
			}
		}
		if n > bestN || (n == bestN && score > bestScore) {
			best, bestN, bestScore = objects[i].APIName, n, score
		}
	}
	if bestN < minGuessMatches {
		return ""
	}
	return best
}
