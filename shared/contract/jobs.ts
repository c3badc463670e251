import { z } from 'zod';
import { event, request } from './define';

// Requests and events of the jobs domain. Placeholders until the domain lands; keep z/event/request imported.
void z;
void event;
void request;

export const jobsRequests = {};

export const jobsEvents = {};
