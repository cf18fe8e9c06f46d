"""The Documents panel (issue 24): the collections on this machine; a collection's folders and files with each
file's state; add files or folders (dialog or drag and drop), re-index what changed, remove a folder or the
whole collection. Indexing is a background job (indexing.py): progress per file with time left, the whole job's
bar, Cancel; a file that cannot be read gets its reason on its own row and the rest is indexed.

A window of its own that the main window keeps: closing it hides it, and indexing goes on (reopened, it shows
the job where it is). "Use in this conversation" asks the window to add the collection to the open
conversation's documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import AssistantError
from assistant.core.progress import Progress
from assistant.core.units import human_duration
from assistant.ui.worker.documents import SharedEmbedder

from .files_tree import FilesTree
from .indexing import LOADING, FileProgress, FileStarted, IndexQueue, Request
from .problem_words import problem_text

NAME_ROLE = Qt.ItemDataRole.UserRole
MAX_FAILURES_SAID = 8  # files that could not be indexed, named under the list with their reason


def dropped_paths(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    """The local files and folders of a drop (links to web pages and the like are not documents)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class DocumentsPanel(QDialog):
    use_requested = Signal(str)  # answer the open conversation from this collection
    collections_changed = Signal()

    def __init__(self, embedder: SharedEmbedder | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.setAcceptDrops(True)
        self.resize(900, 560)
        self.queue = IndexQueue(embedder, self)
        self.queue.started.connect(self._job_started)
        self.queue.reported.connect(self._job_event)
        self.queue.finished.connect(self._job_finished)
        self.queue.failed.connect(self._job_failed)
        self.file = FileProgress()
        self._done_bytes = 0  # of the running job, when the file in hand started
        self._build()
        self.retranslate()
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("messageMeta")
        root.addWidget(self.intro)
        split = QSplitter()
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self.show_selected())
        lv.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self._new_dialog)
        self.remove_collection_button = QPushButton()
        self.remove_collection_button.clicked.connect(lambda: self.remove_collection(self.selected()))
        row.addWidget(self.new_button)
        row.addWidget(self.remove_collection_button)
        lv.addLayout(row)
        split.addWidget(left)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        rv.addWidget(self.summary)
        self.tree = FilesTree()
        rv.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.add_files_button = QPushButton()
        self.add_files_button.clicked.connect(self._add_files_dialog)
        self.add_folder_button = QPushButton()
        self.add_folder_button.clicked.connect(self._add_folder_dialog)
        self.sync_button = QPushButton()
        self.sync_button.clicked.connect(lambda: self.sync(self.selected()))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected_sources)
        self.use_button = QPushButton()
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.selected()))
        for b in (self.add_files_button, self.add_folder_button, self.sync_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.use_button)
        rv.addLayout(row)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 680])
        root.addWidget(split, 1)

        self.progress_box = QWidget()
        pv = QHBoxLayout(self.progress_box)
        pv.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(lambda: self.queue.cancel())
        pv.addWidget(self.bar, 1)
        pv.addWidget(self.progress_label, 2)
        pv.addWidget(self.cancel_button)
        self.progress_box.setVisible(False)
        root.addWidget(self.progress_box)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.result_label)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Documents"))
        self.intro.setText(self.tr(
            "Collections of your own files — PDF, Word (DOCX), Markdown, HTML, text in any encoding, source code — "
            "indexed on this machine. A conversation answers from the collections chosen with the Documents button "
            "beside the message box, citing its sources. Drop files or folders here to add them."))
        self.new_button.setText(self.tr("New collection…"))
        self.remove_collection_button.setText(self.tr("Remove collection"))
        self.remove_collection_button.setToolTip(self.tr("Delete the collection's index (your files are not touched)"))
        self.add_files_button.setText(self.tr("Add files…"))
        self.add_folder_button.setText(self.tr("Add folder…"))
        self.add_folder_button.setToolTip(self.tr("A folder is kept in sync: new, changed and removed files are "
                                                  "noticed at each re-index"))
        self.sync_button.setText(self.tr("Re-index"))
        self.sync_button.setToolTip(self.tr("Index what changed in the collection's folders and files"))
        self.remove_button.setText(self.tr("Remove from collection"))
        self.remove_button.setToolTip(self.tr("Remove the selected folders or files from the collection's index"))
        self.use_button.setText(self.tr("Use in this conversation"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.tree.retranslate()
        self.show_selected()

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ---- collections -----------------------------------------------------------------------------
    def selected(self) -> str:
        item = self.list.currentItem()
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def refresh(self, select: str | None = None) -> None:
        """The collections as they are on disk (select ``select``, else keep the selection)."""
        from assistant.core.docs.library import collection_names, open_collection

        keep = select or self.selected()
        self.list.blockSignals(True)
        self.list.clear()
        for name in collection_names():
            try:
                with open_collection(name) as c:
                    stats = c.stats()
            except AssistantError:
                continue
            item = QListWidgetItem(f"{name}\n" + self.tr("%n file(s)", "", stats["files"]))
            item.setData(NAME_ROLE, name)
            self.list.addItem(item)
            if name == keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self.show_selected()

    def show_selected(self) -> None:
        from assistant.core.docs.library import open_collection

        name = self.selected()
        for b in (self.remove_collection_button, self.sync_button, self.remove_button, self.use_button):
            b.setEnabled(bool(name))
        if not name:
            self.tree.clear()
            self.summary.setText(self.tr("No collection yet: make one with New collection…, or drop files here."))
            return
        try:
            with open_collection(name) as c:
                stats, sources, files = c.stats(), c.sources(), c.files()
        except AssistantError as exc:
            self.summary.setText(exc.user_text())
            return
        n_files, n_chunks = self.tr("%n file(s)", "", stats["files"]), self.tr("%n passage(s)", "", stats["chunks"])
        text = self.tr("%1: %2 · %3").replace("%1", name).replace("%2", n_files).replace("%3", n_chunks)
        if stats["problems"]:
            text += " · " + self.tr("%n not indexed", "", stats["problems"])
        if stats["embedder"]:
            text += f" · {stats['embedder']}"
        self.summary.setText(text)
        running = self.queue.current is not None and self.queue.current.collection == name
        if not running:
            self.tree.show_collection(sources, files)

    def create_collection(self, name: str) -> bool:
        from assistant.core.docs.library import check_name, collection_names, open_collection

        try:
            name = check_name(name)
            if name not in collection_names():
                open_collection(name, create=True).close()
        except AssistantError as exc:
            self.result_label.setText(exc.user_text())
            return False
        self.refresh(select=name)
        self.collections_changed.emit()
        return True

    def _new_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New collection"), self.tr("Name of the collection:"))
        if ok and name.strip():
            self.create_collection(name)

    def remove_collection(self, name: str, confirm: bool = True) -> bool:
        from assistant.core.docs.library import remove_collection

        if not name:
            return False
        if confirm and QMessageBox.question(
                self, self.tr("Remove collection"),
                self.tr("Remove the collection %1? Its index is deleted; your files are not touched.").replace(
                    "%1", name)) != QMessageBox.StandardButton.Yes:
            return False
        self.queue.cancel(name)
        if self.queue.current is not None and self.queue.current.collection == name:
            self.queue.stop()  # wait for its job: the database file is about to go
            self._job_idle()
        try:
            remove_collection(name)
        except AssistantError as exc:
            self.result_label.setText(exc.user_text())
            return False
        self.result_label.setText(self.tr("Removed the collection %1.").replace("%1", name))
        self.refresh()
        self.collections_changed.emit()
        return True

    # ---- folders and files -----------------------------------------------------------------------
    def add_paths(self, paths: list[Path], collection: str | None = None) -> bool:
        """Add folders and files to ``collection`` (the selected one; a new one when there is none) and index them."""
        paths = [Path(p) for p in paths]
        if not paths:
            return False
        name = collection or self.selected()
        if not name:
            name = self.tr("My documents")
            if not self.create_collection(name):
                return False
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            self.result_label.setText(self.tr("Not found: %1").replace("%1", ", ".join(missing)))
            paths = [p for p in paths if p.exists()]
            if not paths:
                return False
        self.queue.submit(Request(name, paths))
        return True

    def sync(self, collection: str) -> bool:
        if not collection:
            return False
        self.queue.submit(Request(collection, None))
        return True

    def remove_selected_sources(self) -> int:
        from assistant.core.docs.indexing import remove_paths
        from assistant.core.docs.library import open_collection

        name, paths = self.selected(), self.tree.selected_sources()
        if not name or not paths:
            self.result_label.setText(self.tr("Select a folder or file added to the collection (a top row) to "
                                              "remove it."))
            return 0
        try:
            with open_collection(name) as c:
                n = remove_paths(c, [Path(p) for p in paths])
        except AssistantError as exc:
            self.result_label.setText(exc.user_text())
            return 0
        self.result_label.setText(self.tr("Removed %n file(s) from the index.", "", n))
        self.refresh()
        return n

    def _add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add files to the collection"), str(Path.home()),
                                                self.tr("Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm "
                                                        "*.rst *.csv *.py *.js *.ts *.java *.c *.cpp *.go *.rs);;"
                                                        "All files (*)"))
        if files:
            self.add_paths([Path(f) for f in files])

    def _add_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder to the collection"), str(Path.home()))
        if folder:
            self.add_paths([Path(folder)])

    # ---- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if dropped_paths(e):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e: Any) -> None:
        e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        paths = dropped_paths(e)
        if paths:
            e.acceptProposedAction()
            self.add_paths(paths)

    # ---- the job ---------------------------------------------------------------------------------
    def _job_started(self, request: Request) -> None:
        self.refresh(select=request.collection)
        self.progress_box.setVisible(True)
        self.bar.setRange(0, 0)  # busy until the first figures
        self.progress_label.setText(self.tr("Looking for documents in %1…").replace("%1", request.collection))
        self.result_label.setText("")
        self.file = FileProgress()

    def _job_event(self, ev: Any) -> None:
        if isinstance(ev, FileStarted):
            self.file.start(ev, self._done_bytes)
            self.tree.set_reading(ev.path, 0.0, None)
        elif isinstance(ev, Progress):
            self._progress(ev)
        elif hasattr(ev, "status"):  # a FileReport
            self.tree.report(ev)

    def _progress(self, p: Progress) -> None:
        if p.stage == LOADING:
            self.progress_label.setText(self.tr("Loading the embedding model…"))
            return
        if p.stage != "Indexing":
            return
        self._done_bytes = p.downloaded
        if p.fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * p.fraction))
        if self.file.path:
            self.file.update(p)
            self.tree.set_reading(self.file.path, self.file.fraction, self.file.seconds_left)
        text = self.tr("%1 of %2 MB · %3 MB/s").replace("%1", f"{p.downloaded / 2**20:,.1f}").replace(
            "%2", f"{(p.total or 0) / 2**20:,.1f}").replace("%3", f"{p.speed / 2**20:,.2f}")
        if p.eta is not None:
            text += " · " + self.tr("%1 left").replace("%1", human_duration(p.eta))
        if p.filename:
            text = self.tr("Indexing %1").replace("%1", p.filename) + " — " + text
        self.progress_label.setText(text)

    def _job_finished(self, request: Request, report: Any) -> None:
        self._job_idle()
        counts = {s: report.count(s) for s in ("indexed", "unchanged", "removed", "failed")}
        parts = [self.tr("%n indexed", "", counts["indexed"])]
        if counts["unchanged"]:
            parts.append(self.tr("%n unchanged", "", counts["unchanged"]))
        if counts["removed"]:
            parts.append(self.tr("%n removed", "", counts["removed"]))
        if counts["failed"]:
            parts.append(self.tr("%n could not be indexed (the reasons are in the list)", "", counts["failed"]))
        text = request.collection + ": " + ", ".join(parts)
        if report.cancelled:
            text += " — " + self.tr("cancelled; the rest is indexed at the next re-index")
        for f in report.failed[:MAX_FAILURES_SAID]:
            text += "\n✗ " + Path(f.path).name + ": " + problem_text(f.message)
        if len(report.failed) > MAX_FAILURES_SAID:
            text += "\n" + self.tr("… and %n more (see the list)", "", len(report.failed) - MAX_FAILURES_SAID)
        for note in report.notes:
            text += "\n" + problem_text(note)
        self.result_label.setText(text)
        failed = {f.path: f.message for f in report.failed}
        self.refresh(select=request.collection)
        for path, message in failed.items():  # stored as the file's problem too; said again in this job's words
            if path in self.tree.files:
                self.tree.set_failed(self.tree.files[path], message)
        self.collections_changed.emit()

    def _job_failed(self, request: Request, exc: BaseException) -> None:
        self._job_idle()
        text = exc.user_text() if isinstance(exc, AssistantError) else str(exc)
        self.result_label.setText(self.tr("Indexing %1 stopped: %2").replace("%1", request.collection)
                                  .replace("%2", text))
        self.refresh(select=request.collection)

    def _job_idle(self) -> None:
        if not self.queue.busy:
            self.progress_box.setVisible(False)
        self.file = FileProgress()
        self._done_bytes = 0

    def shutdown(self) -> None:
        """The app is closing: stop the job (what was committed stays)."""
        self.queue.stop()
