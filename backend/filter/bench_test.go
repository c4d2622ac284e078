package filter_test

import (
	"testing"
	"time"

	"batchdesk/backend/filter"
)

const benchFilter = `(industry IN ('Finance', 'Retail', '科技') OR employees >= 100) AND name LIKE 'N%' AND ` +
	`founded_on < 2020-01-01 AND NOT is_key_account = true AND created_at >= 2024-01-31T10:00`

func BenchmarkCompile(b *testing.B) {
	acc := account()
	for b.Loop() {
		if _, err := filter.Compile(benchFilter, acc, filter.WithZone(time.UTC)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	c, err := filter.Compile(benchFilter, account(), filter.WithZone(time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{"industry": "Finance", "employees": int64(5), "name": "Northwind", "founded_on": "2010-05-01",
		"is_key_account": false, "created_at": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for b.Loop() {
		if ok, err := c.Match(rec); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
