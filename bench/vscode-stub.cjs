// A stand-in for the `vscode` module with just what activate() touches, so activation can be timed in plain Node.
const Module = require('node:module');

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener) => {
      this.listeners.add(listener);
      return { dispose: () => this.listeners.delete(listener) };
    };
  }
  fire(value) {
    for (const l of this.listeners) l(value);
  }
  dispose() {
    this.listeners.clear();
  }
}
const disposable = () => ({ dispose() {} });
const uri = (fsPath) => ({ fsPath, path: fsPath, toString: () => `file://${fsPath}` });

const vscode = {
  EventEmitter,
  ThemeIcon: class {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  },
  ThemeColor: class {
    constructor(id) {
      this.id = id;
    }
  },
  TreeItem: class {
    constructor(label, state) {
      this.label = label;
      this.collapsibleState = state;
    }
  },
  FileDecoration: class {
    constructor(badge, tooltip) {
      this.badge = badge;
      this.tooltip = tooltip;
    }
  },
  MarkdownString: class {
    constructor() {
      this.value = '';
    }
    appendMarkdown(s) {
      this.value += s;
      return this;
    }
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ViewColumn: { Active: -1, Beside: -2 },
  Uri: { from: (parts) => uri(parts.path), file: uri, joinPath: (base, ...parts) => uri([base.fsPath, ...parts].join('/')) },
  window: {
    createOutputChannel: () => ({ info() {}, warn() {}, error() {}, show() {}, dispose() {} }),
    createTreeView: () => ({
      description: undefined,
      badge: undefined,
      visible: false,
      onDidChangeVisibility: () => ({ dispose() {} }),
      reveal: async () => undefined,
      dispose() {},
    }),
    registerWebviewPanelSerializer: disposable,
    registerFileDecorationProvider: disposable,
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
  },
  commands: { registerCommand: disposable, executeCommand: async () => undefined },
  workspace: {
    workspaceFolders: undefined,
    isTrusted: true,
    registerTextDocumentContentProvider: disposable,
    onDidGrantWorkspaceTrust: disposable,
    onDidChangeConfiguration: disposable,
    getConfiguration: () => ({ get: () => undefined }),
  },
  env: { clipboard: { writeText: async () => undefined } },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

module.exports = { vscode, uri };
