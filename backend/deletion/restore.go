package deletion

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"batchdesk/backend/apperr"
	"batchdesk/backend/catalog"
	"batchdesk/backend/imports"
	"batchdesk/backend/imports/pipeline"
	"batchdesk/backend/store"
)

// Restore brings back the records of delete job id from its backup with
// the existing import service and returns the import jobs it ran, in
// order; started, when not nil, gets each job's ID as soon as it starts,
// and Restore waits for each to end. The first job inserts the deleted
// object's file as the master and the cascaded objects' files as its
// details (linked by their master–detail column): every record with its
// original id and system fields, exactly once (the import's ledger: a
// killed restore resumes with `jobs resume`). When the object refers to
// itself (a parent account), those lookups are left empty there and a
// second job (update by id) sets them once every record is back. Each
// record that cannot come back (its unique value was taken since, its
// owner is gone) is in the first job's error report. crm, when not "",
// replaces the saved CRM.
func (s *Service) Restore(ctx context.Context, id, crm string, started func(jobID string)) ([]string, error) {
	j, set, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := readManifest(s.jobDir(j.ID))
	if err != nil {
		return nil, err
	}
	if m == nil || m.Backup == nil {
		return nil, apperr.New(apperr.Conflict, "job %s has no backup to restore (it ran without one, or ended before writing it)", id)
	}
	if crm == "" {
		crm = set.CRM
	}
	t, err := s.open(ctx, crm)
	if err != nil {
		return nil, err
	}
	objects, err := t.Objects(ctx)
	t.Close()
	if err != nil {
		return nil, err
	}
	root, err := catalog.Find(objects, set.Object)
	if err != nil {
		return nil, apperr.New(apperr.Conflict, "the CRM no longer has %s", set.Object)
	}
	dir := filepath.Join(s.jobDir(j.ID), "restore")
	files, err := unzip(m.Backup.Location, dir)
	if err != nil {
		return nil, err
	}
	is := imports.Form{CRM: crm, Object: root.APIName, Mode: "insert"}
	for _, f := range m.Backup.Files {
		path := files[f.Name]
		if path == "" {
			return nil, apperr.New(apperr.Conflict, "the backup %s has no %s", m.Backup.Location, f.Name)
		}
		if f.Object == root.APIName {
			is.Files = append(is.Files, path)
			continue
		}
		if f.Rows == 0 {
			continue
		}
		col, err := masterColumn(objects, f.Object, root.APIName)
		if err != nil {
			return nil, err
		}
		is.DetailFiles = append(is.DetailFiles, pipeline.Detail{Object: f.Object, Files: []string{path}, MasterColumn: col})
	}
	if len(is.Files) != 1 {
		return nil, apperr.New(apperr.Conflict, "the backup %s holds no %s file", m.Backup.Location, root.APIName)
	}
	if len(is.DetailFiles) > 0 {
		is.MasterKey = "id"
	}
	selfRefs := selfReferences(root)
	links := ""
	if len(selfRefs) > 0 {
		if is.Files[0], links, err = splitSelfReferences(is.Files[0], selfRefs); err != nil {
			return nil, err
		}
	}
	svc := imports.New(s.ws, s.jobs, imports.Options{})
	var ids []string
	run := func(set imports.Form) (store.Job, error) {
		req, err := svc.Complete(ctx, set)
		if err != nil {
			return store.Job{}, err
		}
		req.RestoreOf = j.ID // the job names the delete it restores
		rid, err := svc.Start(ctx, req)
		if err != nil {
			return store.Job{}, err
		}
		ids = append(ids, rid)
		s.jobs.Event(id, store.LevelInfo, "restore: import job "+rid)
		if started != nil {
			started(rid)
		}
		rj, err := s.jobs.Wait(context.WithoutCancel(ctx), rid)
		if rj.ID == "" {
			return rj, err
		}
		return rj, nil
	}
	first, err := run(is)
	if err != nil || links == "" || first.Status != store.StatusDone {
		return ids, err
	}
	failed, err := failedIDs(first.ErrorReport)
	if err != nil {
		return ids, err
	}
	if links, err = dropIDs(links, failed); err != nil || links == "" {
		return ids, err
	}
	_, err = run(imports.Form{CRM: crm, Object: root.APIName, Mode: "update", Key: "id", Files: []string{links}})
	return ids, err
}

// masterColumn is the detail object's master–detail field to master.
func masterColumn(objects []catalog.Object, detail, master string) (string, error) {
	o, err := catalog.Find(objects, detail)
	if err != nil {
		return "", apperr.New(apperr.Conflict, "the backup holds %s, which the CRM no longer has", detail)
	}
	for _, f := range o.Fields {
		if f.Type == catalog.MasterDetail && strings.EqualFold(f.Target, master) {
			return f.APIName, nil
		}
	}
	return "", apperr.New(apperr.Conflict, "%s has no master–detail field to %s, so its backup cannot be linked back", detail, master)
}

// unzip extracts the CSV files of a backup into dir and returns their paths
// by entry name.
func unzip(path, dir string) (map[string]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Conflict, "cannot open the backup %s: %v", path, err)
	}
	defer zr.Close()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	out := map[string]string{}
	for _, zf := range zr.File {
		name := filepath.Base(zf.Name)
		if name != zf.Name || !strings.HasSuffix(name, ".csv") {
			continue // only flat CSV entries, never a path out of dir
		}
		dst := filepath.Join(dir, name)
		if err := extract(zf, dst); err != nil {
			return nil, err
		}
		out[zf.Name] = dst
	}
	return out, nil
}

func extract(zf *zip.File, dst string) error {
	rc, err := zf.Open()
	if err != nil {
		return apperr.Wrap(err, apperr.Conflict, "the backup entry %s is damaged: %v", zf.Name, err)
	}
	defer rc.Close()
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("extract %s: %w", zf.Name, err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return apperr.Wrap(err, apperr.Conflict, "the backup entry %s is damaged: %v", zf.Name, err)
	}
	return f.Close()
}
