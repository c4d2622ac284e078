package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestNewDatabase(t *testing.T) {
	dsn := NewDatabase(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var one int
	if err := conn.QueryRow(context.Background(), "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1: %v %d", err, one)
	}
}

func TestPasswordClusterRejectsWrongPassword(t *testing.T) {
	dsn, pw := PasswordCluster(t)
	ctx := context.Background()
	cfg, _ := pgx.ParseConfig(dsn)
	cfg.Password = "wrong"
	if c, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		c.Close(ctx)
		t.Fatal("wrong password accepted")
	}
	cfg.Password = pw
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	c.Close(ctx)
}

func TestClusterSettings(t *testing.T) {
	dsn := Cluster(t, "max_locks_per_transaction=12")
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var v string
	if err := c.QueryRow(ctx, "SHOW max_locks_per_transaction").Scan(&v); err != nil || v != "12" {
		t.Fatalf("max_locks_per_transaction = %q, %v", v, err)
	}
}
