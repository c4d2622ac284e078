package fkgraph

import (
	"context"
	"fmt"
)

// Querier runs the graph's queries inside one snapshot (a backend's
// read-only transaction).
type Querier interface {
	// Count runs a query returning one integer.
	Count(ctx context.Context, q Query) (int64, error)
	// Strings runs a query returning one text column and calls fn per row.
	Strings(ctx context.Context, q Query, fn func(string) error) error
}

// Preview is what a delete would do, counted in one snapshot.
type Preview struct {
	// Matching is how many records the filter matches.
	Matching int64 `json:"matching"`
	// Blocked is how many of them a blocking reference holds.
	Blocked int64 `json:"blocked"`
	// Total is how many records go: Matching, less Blocked with SkipBlocked.
	Total int64 `json:"total"`
	// Tables are the cascading tables with the rows that go from each.
	Tables []TableCount `json:"tables"`
	// Edges are the foreign keys pointing at what goes, with their counts.
	Edges []EdgeCount `json:"edges"`
	// BlockedKeys are the first keys of blocked records (at most
	// BlockedSample).
	BlockedKeys []string `json:"blockedKeys"`
}

// TableCount is one cascading table and how many of its rows go.
type TableCount struct {
	Table Table `json:"table"`
	Rows  int64 `json:"rows"`
}

// EdgeCount is one foreign key and how many referencing rows it acts on.
type EdgeCount struct {
	Kind EdgeKind   `json:"kind"`
	FK   ForeignKey `json:"foreignKey"`
	Rows int64      `json:"rows"`
}

// BlockedSample is how many blocked keys a Preview lists.
const BlockedSample = 20

// Preview counts everything in q (call it inside one snapshot).
func (g *Graph) Preview(ctx context.Context, q Querier) (Preview, error) {
	var p Preview
	count := func(what string, build func() (Query, error)) (int64, error) {
		qq, err := build()
		if err != nil {
			return 0, err
		}
		n, err := q.Count(ctx, qq)
		if err != nil {
			return 0, fmt.Errorf("count %s: %w", what, err)
		}
		return n, nil
	}
	var err error
	if p.Matching, err = count("the matching records", g.CountMatching); err != nil {
		return p, err
	}
	if p.Blocked, err = count("the blocked records", g.CountBlocked); err != nil {
		return p, err
	}
	p.Total = p.Matching
	if g.req.SkipBlocked {
		if p.Total, err = count("the records that go", g.Count); err != nil {
			return p, err
		}
	}
	if p.Blocked > 0 {
		lq, err := g.ListBlocked(BlockedSample)
		if err != nil {
			return p, err
		}
		err = q.Strings(ctx, lq, func(s string) error { p.BlockedKeys = append(p.BlockedKeys, s); return nil })
		if err != nil {
			return p, fmt.Errorf("list the blocked records: %w", err)
		}
	}
	for _, t := range g.closure {
		n, err := count(t.String(), func() (Query, error) { return g.CountTable(t) })
		if err != nil {
			return p, err
		}
		p.Tables = append(p.Tables, TableCount{Table: t, Rows: n})
	}
	edges, err := g.Edges()
	if err != nil {
		return p, err
	}
	for _, e := range edges {
		n, err := q.Count(ctx, e.Count)
		if err != nil {
			return p, fmt.Errorf("count the rows of %s.%s: %w", e.FK.Child, e.FK.Name, err)
		}
		p.Edges = append(p.Edges, EdgeCount{Kind: e.Kind, FK: e.FK, Rows: n})
	}
	return p, nil
}

// Batch is one transaction of a delete: the records of IDs go from Table,
// with their related-team members (Teams) and one audit-log entry (Audit),
// and the ledger row of (JobID, Seq) in the same transaction.
type Batch struct {
	JobID  string
	Seq    int
	Object string // API name, for the audit log
	Table  Table
	Key    string
	IDs    []string
	// Audit writes one audit-log entry (actor System, object, count).
	Audit bool
	// Teams removes the records' related-team members.
	Teams bool
	// BeforeCommit, when set, runs after the rows are deleted and before
	// the commit (the failpoints of kill tests).
	BeforeCommit func()
}

// BatchResult is a committed batch as its ledger row records it.
type BatchResult struct {
	Seq     int       `json:"seq"`
	Deleted int64     `json:"deleted"`
	Failed  []Failure `json:"failed,omitempty"`
	// Skipped: an earlier run committed this batch (read from the ledger).
	Skipped bool `json:"-"`
}

// Failure is a record of a batch that could not go, with the reason (a
// reference that appeared after the preview, usually).
type Failure struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}
