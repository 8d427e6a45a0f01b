// helmrender renders a Helm chart the way `helm template` does, for tests on machines without helm.
//
// It implements the subset of Helm 3 that charts/openkbs-operator uses, with Helm's own building blocks:
// text/template with sprig's TxtFuncMap (minus env and expandenv, as Helm), Helm's toYaml/fromYaml/toJson/include/tpl/
// required/lookup, missingkey=zero with "<no value>" removed, .Values (values.yaml coalesced with -f files, a null in a
// -f file deleting the key), .Release, .Chart (Chart.yaml), .Capabilities (KubeVersion, APIVersions.Has),
// .Files.Get/.Files.Glob over the chart's files, and values.schema.json validated with xeipuuv/gojsonschema (the
// validator Helm 3 uses) before rendering, with Helm's error text. Not implemented: subcharts, hooks, --set, lookup
// against a cluster (returns an empty map, as `helm template` does), .Files.Lines/AsConfig/AsSecrets.
//
// Usage: helmrender [-f values.yaml]... [--name R] [--namespace N] [--api-versions g/v]... [--kube-version v1.30.0]
//
//	[--notes] CHART_DIR
//
// Prints the manifests (each preceded by "# Source: <chart>/templates/<file>") to stdout; errors to stderr, exit 1.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v3"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// Files is .Files: the chart's files (outside templates/) by slash path, as in Helm.
type Files map[string][]byte

// Get returns the file's content, or "" when there is none.
func (f Files) Get(name string) string { return string(f[name]) }

// Glob returns the files matching the pattern (range over it yields path and content, sorted by path).
func (f Files) Glob(pattern string) Files {
	out := Files{}
	for name, content := range f {
		if ok, _ := path.Match(pattern, name); ok {
			out[name] = content
		}
	}
	return out
}

// APIVersions is .Capabilities.APIVersions.
type APIVersions []string

// Has reports whether the group/version (or group/version/Kind) is served.
func (a APIVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	var valueFiles, apiVersions multi
	name, namespace, kubeVersion, notes, chartDir := "openkbs-operator", "default", "v1.30.0", false, ""
	for i := 0; i < len(args); i++ {
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", args[i])
			}
			i++
			return args[i], nil
		}
		var err error
		switch args[i] {
		case "-f", "--values":
			var v string
			v, err = next()
			valueFiles = append(valueFiles, v)
		case "--name":
			name, err = next()
		case "--namespace", "-n":
			namespace, err = next()
		case "--api-versions", "-a":
			var v string
			v, err = next()
			apiVersions = append(apiVersions, v)
		case "--kube-version":
			kubeVersion, err = next()
		case "--notes":
			notes = true
		default:
			if strings.HasPrefix(args[i], "-") {
				return fmt.Errorf("unknown flag %s", args[i])
			}
			chartDir = args[i]
		}
		if err != nil {
			return err
		}
	}
	if chartDir == "" {
		return errors.New("usage: helmrender [-f values.yaml]... [--name R] [--namespace N] [--api-versions g/v]... [--notes] CHART_DIR")
	}

	chart, err := readYamlMap(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return err
	}
	chartName, _ := chart["name"].(string)
	values, err := readYamlMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return err
	}
	for _, f := range valueFiles {
		user, err := readYamlMap(f)
		if err != nil {
			return err
		}
		values = coalesce(user, values)
	}
	if err := validate(chartDir, chartName, values); err != nil {
		return err
	}

	files := Files{}
	templates := map[string]string{}
	err = filepath.WalkDir(chartDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, p)
		rel = filepath.ToSlash(rel)
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates/") {
			templates[chartName+"/"+rel] = string(content)
		} else {
			files[rel] = content
		}
		return nil
	})
	if err != nil {
		return err
	}

	builtin := []string{"v1", "apps/v1", "policy/v1", "rbac.authorization.k8s.io/v1", "networking.k8s.io/v1", "coordination.k8s.io/v1", "apiextensions.k8s.io/v1"}
	top := map[string]interface{}{
		"Values": values,
		"Release": map[string]interface{}{
			"Name": name, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
		},
		"Chart": map[string]interface{}{
			"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"], "Description": chart["description"],
		},
		"Capabilities": map[string]interface{}{
			"KubeVersion": map[string]interface{}{"Version": kubeVersion, "GitVersion": kubeVersion},
			"APIVersions": APIVersions(append(builtin, apiVersions...)),
		},
		"Files": files,
	}

	root := template.New("root").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	includedNames := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if includedNames[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		includedNames[name]++
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		includedNames[name]--
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	funcs["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["toJson"] = func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	root.Funcs(funcs)

	names := make([]string, 0, len(templates))
	for n := range templates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := root.New(n).Parse(templates[n]); err != nil {
			return err
		}
	}

	var out strings.Builder
	for _, n := range names {
		base := path.Base(n)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes || (!isNotes && !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml")) {
			continue
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, n, top); err != nil {
			return err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if notes {
			out.WriteString(text)
			continue
		}
		for _, doc := range splitDocuments(text) {
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", n, doc)
		}
	}
	_, err = os.Stdout.WriteString(out.String())
	return err
}

// splitDocuments splits a rendered template into its non-empty YAML documents, as Helm's release manifest does.
func splitDocuments(text string) []string {
	var docs []string
	for _, part := range strings.Split("\n"+text, "\n---") {
		doc := strings.Trim(part, "\n")
		if strings.TrimSpace(stripComments(doc)) != "" {
			docs = append(docs, doc)
		}
	}
	return docs
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func readYamlMap(p string) (map[string]interface{}, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return m, nil
}

// coalesce merges src (user values) over dst (chart defaults) as Helm does: maps merge, a null deletes the key.
func coalesce(src, dst map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if sok && dok {
			out[k] = coalesce(sm, dm)
		} else {
			out[k] = v
		}
	}
	return out
}

// validate checks the values against values.schema.json with Helm's validator and error format.
func validate(chartDir, chartName string, values map[string]interface{}) error {
	schema, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	doc, err := json.Marshal(values)
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		return fmt.Errorf("%s/values.schema.json: %w", chartName, err)
	}
	if result.Valid() {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n", chartName)
	for _, e := range result.Errors() {
		fmt.Fprintf(&b, "- %s\n", e)
	}
	return errors.New(strings.TrimSuffix(b.String(), "\n"))
}
