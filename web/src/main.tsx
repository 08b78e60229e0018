import { render } from 'preact';
import { App } from './app.js';
import './style.css';

const root = document.getElementById('app')!;
// The static "Loading…" line is for the moment before this script runs; the app replaces it.
root.replaceChildren();
render(<App />, root);
