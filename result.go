package concord

import "context"

// ResultCache keeps computed analyses (ideal points, blocs …) so that later
// commands reuse them until the votes change. A result is stored as JSON under
// a kind and a key that spells out every option it was computed with.
type ResultCache interface {
	// VotesVersion identifies the stored votes: it changes whenever an import changes them.
	VotesVersion(ctx context.Context) (int64, error)
	// LoadResult unmarshals into v the result stored under kind and key for
	// votes version version, and reports whether there was one.
	LoadResult(ctx context.Context, kind, key string, version int64, v any) (bool, error)
	// SaveResult stores v under kind and key for votes version version, replacing what was there.
	SaveResult(ctx context.Context, kind, key string, version int64, v any) error
}
