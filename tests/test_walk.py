import os

import pytest

from cleaner.walk import Input, Skip, display, walk


def tree(root, *names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())


def taken(items):
    return [(type(item).__name__, item.source, item.relative if isinstance(item, Input) else item.reason)
            for item in items]


def test_folders_are_walked_depth_first_in_name_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, "in/b.txt", "in/a/z.txt", "in/a/y/x.txt", "in/c.md", "in/B.txt", "in/a.txt")
    assert [item.relative for item in walk(["in"])] == ["B.txt", "a/y/x.txt", "a/z.txt", "a.txt", "b.txt"]
    assert [item.source for item in walk(["in"])][:2] == ["in/B.txt", "in/a/y/x.txt"]


def test_named_files_are_taken_whatever_their_name_and_keep_only_their_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, "sub/notes.md")
    (item,) = walk(["sub/notes.md"])
    assert (item.source, item.path, item.relative, item.size) == ("sub/notes.md", "sub/notes.md", "notes.md", 12)


def test_include_and_exclude_globs(tmp_path):
    tree(tmp_path, "a.txt", "b.md", "drafts/c.txt", "keep/drafts.txt", "keep/old.txt", "x/drafts/d.txt")
    relatives = lambda **globs: [i.relative for i in walk([str(tmp_path)], **globs)]  # noqa: E731
    assert relatives() == ["a.txt", "drafts/c.txt", "keep/drafts.txt", "keep/old.txt", "x/drafts/d.txt"]
    assert relatives(include=("*.md", "*.txt"), exclude=("drafts", "old.*")) == ["a.txt", "b.md", "keep/drafts.txt"]
    # A pattern with a slash matches the path under the folder, so only the top drafts/ goes.
    assert relatives(exclude=("drafts/*",)) == ["a.txt", "keep/drafts.txt", "keep/old.txt", "x/drafts/d.txt"]


def test_missing_paths_and_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert taken(walk(["nope.txt", "-"])) == [
        ("Skip", "nope.txt", "no such file or directory"),
        ("Input", "<stdin>", "stdin.txt"),
    ]


def test_symbolic_links_in_folders_are_noted_not_followed_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, "in/a.txt", "elsewhere/b.txt")
    os.symlink("../elsewhere/b.txt", "in/link.txt")
    os.symlink("../elsewhere", "in/folder")
    os.symlink("missing.txt", "in/dangling.txt")
    os.symlink("missing", "in/dangling-no-txt")  # not a name that would be taken: passed by quietly
    os.symlink("..", "in/loop")
    items = list(walk(["in"]))
    assert taken(items) == [
        ("Input", "in/a.txt", "a.txt"),
        ("Skip", "in/dangling.txt", "dangling symbolic link (to missing.txt), not followed"),
        ("Skip", "in/folder", "symbolic link to a folder, not followed (use --follow-symlinks)"),
        ("Skip", "in/link.txt", "symbolic link to a file, not followed (use --follow-symlinks)"),
        ("Skip", "in/loop", "symbolic link to a folder, not followed (use --follow-symlinks)"),
    ]
    assert [item.failed for item in items[1:]] == [False] * 4


def test_followed_links_report_dangling_ones_and_loops(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, "in/a.txt", "in/sub/c.txt", "elsewhere/b.txt")
    os.symlink("../elsewhere/b.txt", "in/link.txt")
    os.symlink("../../elsewhere", "in/sub/folder")
    os.symlink("missing.txt", "in/dangling.txt")
    os.symlink("..", "in/sub/loop")
    os.symlink("self.txt", "in/self.txt")
    items = list(walk(["in"], follow_symlinks=True))
    assert taken(items) == [
        ("Input", "in/a.txt", "a.txt"),
        ("Skip", "in/dangling.txt", "dangling symbolic link (to missing.txt)"),
        ("Input", "in/link.txt", "link.txt"),
        ("Skip", "in/self.txt", "symbolic link loop"),
        ("Input", "in/sub/c.txt", "sub/c.txt"),
        ("Input", "in/sub/folder/b.txt", "sub/folder/b.txt"),
        ("Skip", "in/sub/loop", "symbolic link loop: leads back to in"),
    ]
    assert all(item.failed for item in items if isinstance(item, Skip))


def test_named_dangling_link_and_special_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("gone.txt", "link.txt")
    os.mkfifo("pipe.txt")
    assert taken(walk(["link.txt", "pipe.txt"])) == [
        ("Skip", "link.txt", "dangling symbolic link (to gone.txt)"),
        ("Skip", "pipe.txt", "not a regular file"),
    ]
    os.mkdir("in")
    os.mkfifo("in/pipe.txt")  # reading it would block for ever
    assert taken(walk(["in"])) == [("Skip", "in/pipe.txt", "not a regular file")]


def test_names_that_are_not_utf8_are_kept_and_shown_escaped(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.txt"
    with open(raw, "wb") as stream:
        stream.write(b"x")
    (item,) = walk([str(tmp_path)])
    assert os.fsencode(item.relative) == b"caf\xe9 \xff.txt"
    assert item.source.endswith("/caf\\xe9 \\xff.txt")
    item.source.encode("utf-8")  # printable and valid UTF-8
    with open(item.path, "rb") as stream:
        assert stream.read() == b"x"


@pytest.mark.parametrize(
    "name, shown",
    [("plain.txt", "plain.txt"), ("new\nline.txt", "new\\nline.txt"), ("bell\x07.txt", "bell\\x07.txt"),
     ("caf\udce9.txt", "caf\\xe9.txt"), ("中文.txt", "中文.txt")],
)
def test_display(name, shown):
    assert display(name) == shown


def test_unlistable_folder_is_one_skip(tmp_path, monkeypatch):
    tree(tmp_path, "in/a.txt", "in/locked/b.txt")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert taken(walk([str(tmp_path / "in")]))[1:] == [
        ("Skip", f"{tmp_path}/in/locked", "cannot list folder: Permission denied")
    ]
